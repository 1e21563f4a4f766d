import Foundation
import Testing
import VigilCore
import VigilRegex
import VigilTestSupport
@testable import VigilStore

/// A damaged sealed segment: verify reports it, queries return everything else and warn.
@Suite struct CorruptionTests {
    static func sealedStore(_ directory: String, blocks: Int) async throws -> [LogRecord] {
        var random = SplitMix(seed: 42)
        var all: [LogRecord] = []
        let writer = try StoreWriter(directory: directory, configuration: StoreConfiguration())
        for _ in 0..<blocks {
            let records = RecordFactory.records(count: 100, base: 1_763_000_000_000_000_000 + Int64(all.count) * 1_000_000_000, using: &random)
            try await writer.append(records)
            all += records
        }
        try await writer.close()
        return all
    }

    @Test(arguments: [BlockHeader.size + 3, 10, BlockHeader.size + 200])
    func oneFlippedByteLosesOnlyItsBlock(offsetInBlock: Int) async throws {
        let directory = TemporaryDirectory("flip\(offsetInBlock)")
        defer { directory.remove() }
        let records = try await Self.sealedStore(directory.path, blocks: 5)
        let victim = try StoreCatalog(directory: directory.path).blocks[2]
        try flipByte(victim.path, at: victim.offset + Int64(offsetInBlock))

        let report = try StoreVerifier.verify(directory: directory.path)
        #expect(!report.isClean)
        #expect(report.problems.contains { $0.path == victim.path && $0.offset == victim.offset })

        var warnings: [String] = []
        let read = try readAll(directory.path, warnings: &warnings)
        let lost = Set(records[200..<300])
        #expect(read == timeOrdered(records.filter { !lost.contains($0) }))
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("offset \(victim.offset)") == true)
        #expect(warnings.first?.contains("100 records skipped") == true)

        let counted = try StoreReader(directory: directory.path).count(RecordFilter().with { $0.messagePattern = try? PCRE2Regex(".") })
        #expect(counted == read.filter { !$0.message.isEmpty }.count)
    }

    @Test func aDamagedFooterFallsBackToScanningAndVerifyTellsSo() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let records = try await Self.sealedStore(directory.path, blocks: 3)
        let path = try segmentPaths(directory.path)[0]
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        try flipByte(path, at: Int64(size - 10))
        #expect(try readAll(directory.path) == timeOrdered(records), "an unsealed-looking segment is still read by scanning")
        let report = try StoreVerifier.verify(directory: directory.path)
        #expect(report.unsealed == [path])
        #expect(!report.isClean, "the footer's bytes now look like a damaged tail")
    }

    @Test func aFutureFormatVersionIsRefusedByName() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.sealedStore(directory.path, blocks: 1)
        let path = try segmentPaths(directory.path)[0]
        var header = SegmentHeader(segmentID: 1, createdAt: 0)
        header.version = 7
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(header.encode()))
        try handle.close()
        #expect(throws: StoreError.unsupportedVersion(path: path, version: 7, supported: 1)) { try StoreReader(directory: directory.path) }
        #expect(throws: StoreError.unsupportedVersion(path: path, version: 7, supported: 1)) {
            try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        }
        let message = StoreError.unsupportedVersion(path: path, version: 7, supported: 1).description
        #expect(message.contains("version 7") && message.contains("upgrade"))
    }

    @Test func anUnreadableSegmentIsQuarantinedAndTheRestStaysReadable() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let records = try await Self.sealedStore(directory.path, blocks: 2)
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        try await writer.append([LogRecord(time: 1_800_000_000_000_000_000, message: "later")])
        try await writer.close()
        let first = try segmentPaths(directory.path)[0]
        try flipByte(first, at: 0)  // the magic

        var warnings: [String] = []
        #expect(try readAll(directory.path, warnings: &warnings).map(\.message) == ["later"])
        #expect(warnings.count == 1)
        let reopened = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        #expect(reopened.recovery.quarantined.count == 1)
        #expect(FileManager.default.fileExists(atPath: directory.path + "/quarantine/" + (first as NSString).lastPathComponent))
        try await reopened.close()
        _ = records
    }
}

extension RecordFilter {
    func with(_ change: (inout RecordFilter) -> Void) -> RecordFilter {
        var copy = self
        change(&copy)
        return copy
    }
}
