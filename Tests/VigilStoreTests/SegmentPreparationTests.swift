import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// Segment files prepared ahead of their start (`SegmentPreparer`), so that rotation costs the
/// writer a rename instead of fsyncs.
@Suite struct SegmentPreparationTests {
    static func names(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test func rotationsUsePreparedFilesThatNeitherReadersNorVerifySeeAndCloseRemoves() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        configuration.segmentMaxBytes = 8 * 1024
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        var random = SplitMix(seed: 21)
        var input: [LogRecord] = []
        for batch in 0..<20 {
            let records = RecordFactory.records(count: 200, base: 1_763_000_000_000_000_000 + Int64(batch) * 1_000_000_000, using: &random)
            try await writer.append(records)
            input += records
            // While the writer is open, the next segment waits under its spare name: one file,
            // numbered after the last segment, which verify does not report and readers skip.
            let spares = try Self.names(directory.path).filter { $0.hasSuffix(".vseg.next") }
            #expect(spares.count <= 1)
        }
        let segments = try segmentPaths(directory.path)
        #expect(segments.count > 3, "small segments force rotation")
        #expect(try StoreVerifier.verify(directory: directory.path).isClean)
        #expect(try readAll(directory.path) == timeOrdered(input))
        try await writer.close()
        #expect(try Self.names(directory.path).allSatisfy { !$0.hasSuffix(".next") && !$0.hasSuffix(".tmp") })
        #expect(try readAll(directory.path) == timeOrdered(input))
        #expect(try StoreVerifier.verify(directory: directory.path).isClean)
    }

    @Test func aSpareACrashLeftIsRemovedByRecoveryAndItsNumberIsNotSkipped() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let first = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        var random = SplitMix(seed: 22)
        let records = RecordFactory.records(count: 100, using: &random)
        try await first.append(records)
        // The spare of segment 2 is prepared in the background; wait for it, then "crash".
        let layout = SegmentDirectory(path: directory.path)
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: layout.sparePath(2)), Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(FileManager.default.fileExists(atPath: layout.sparePath(2)))
        first.abandon()

        let second = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        #expect(second.recovery.removedTemporary == [layout.sparePath(2)])
        let more = RecordFactory.records(count: 100, base: 1_764_000_000_000_000_000, using: &random)
        try await second.append(more)
        try await second.close()
        #expect(try segmentPaths(directory.path) == [layout.segmentPath(1), layout.segmentPath(2)])
        #expect(try readAll(directory.path) == timeOrdered(records) + timeOrdered(more))
    }
}
