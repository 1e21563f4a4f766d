import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// The writer's catch-up codec (blocks written with lz4 while records from senders that do not wait
/// pile up) and the background recompression of sealed segments holding such blocks.
@Suite struct CatchUpCompressionTests {
    /// A configuration in which every relaxed commit counts as behind.
    static func alwaysBehind() -> StoreConfiguration {
        var configuration = StoreConfiguration()
        configuration.commitDelay = 0
        configuration.catchUpAfter = 0
        configuration.recompressAfter = 0
        return configuration
    }

    /// The headers of every block of every segment in `directory`, in order.
    static func headers(_ directory: String) throws -> [BlockHeader] {
        try segmentPaths(directory).flatMap { path -> [BlockHeader] in
            let file = try PosixFile(path: path, flags: O_RDONLY)
            let footer = try #require(try SegmentFooter.read(from: file, fileSize: try file.size()), "\(path) is sealed")
            return try footer.blocks.map { entry in
                let bytes = try file.read(at: entry.offset, count: BlockHeader.size)
                return try bytes.withUnsafeBytes { try BlockHeader.decode($0).get() }
            }
        }
    }

    /// Appends `batches` without waiting (as the UDP input does) and waits until all are durable.
    static func appendRelaxed(_ writer: StoreWriter, _ batches: [[LogRecord]]) async throws {
        let done = DurableCount()
        for batch in batches {
            writer.append(batch, acknowledgement: .afterWrite) { result in
                if case .success = result { done.add(batch.count) }
            }
        }
        let total = batches.reduce(0) { $0 + $1.count }
        let deadline = ContinuousClock.now + .seconds(30)
        while done.value < total, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(done.value == total)
    }

    static func batches(_ count: Int, of size: Int, seed: UInt64) -> [[LogRecord]] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { batch in
            RecordFactory.records(count: size, base: 1_763_000_000_000_000_000 + Int64(batch) * 1_000_000_000, using: &random)
        }
    }

    @Test func aLargeCommitOfRelaxedRecordsIsCutIntoFloodSizedBlocksAndAPromptOneIntoHalves() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        configuration.commitDelay = 1_000_000_000  // the relaxed batches below share one commit
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        try await Self.appendRelaxed(writer, Self.batches(5, of: 2000, seed: 3))
        let prompt = Self.batches(1, of: 10_000, seed: 4)[0]
        try await writer.append(prompt)
        try await writer.close()
        let counts = try Self.headers(directory.path).map(\.recordCount)
        // 10,000 relaxed records: 4,096 + 4,096 + 1,808; 10,000 prompt ones: two halves.
        #expect(counts == [4096, 4096, 1808, 5000, 5000])
    }

    @Test func relaxedRecordsThatWaitedTooLongAreWrittenWithTheCatchUpCodecAndReadBackWhole() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, configuration: Self.alwaysBehind())
        let batches = Self.batches(4, of: 500, seed: 1)
        try await Self.appendRelaxed(writer, batches)
        try await writer.close()
        let headers = try Self.headers(directory.path)
        #expect(!headers.isEmpty)
        #expect(headers.allSatisfy { $0.codec == .lz4 && $0.isCatchUp })
        var warnings: [String] = []
        let back = try readAll(directory.path, warnings: &warnings)
        #expect(warnings.isEmpty)
        #expect(back == timeOrdered(batches.flatMap { $0 }))
        // A short-lived writer (an import) leaves them for the daemon.
        #expect(SegmentRewriter.hasCatchUpBlocks(try segmentPaths(directory.path)[0]))
    }

    @Test func promptAppendsAndCatchUpCodecNoneKeepTheConfiguredCodec() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // Callers that wait get backpressure instead: their commits never count as behind.
        let writer = try StoreWriter(directory: directory.path, configuration: Self.alwaysBehind())
        for batch in Self.batches(3, of: 200, seed: 2) { try await writer.append(batch) }
        try await writer.seal()
        // With catch_up_codec = "none", relaxed records behind keep the configured codec too.
        var none = Self.alwaysBehind()
        none.catchUpCodec = nil
        try await writer.reconfigure(none)
        try await Self.appendRelaxed(writer, Self.batches(3, of: 200, seed: 3))
        try await writer.close()
        let headers = try Self.headers(directory.path)
        #expect(headers.count >= 2)
        #expect(headers.allSatisfy { $0.codec == .zstd && !$0.isCatchUp })
    }

    @Test func aReceiveBacklogMakesRelaxedCommitsCatchUpWhileTheWriterItselfKeepsUp() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // The default configuration: these small commits never wait long enough to count as behind.
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        try await Self.appendRelaxed(writer, Self.batches(1, of: 100, seed: 4))
        try await writer.seal()
        // The UDP input reports after every read burst while its queue is full. The first report
        // is made here, so that the commits below come after one even when the reporting task
        // is slow to start (the test then failed under a loaded machine).
        writer.noteReceiveBacklog()
        let reporting = Task {
            while !Task.isCancelled {
                writer.noteReceiveBacklog()
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        // Callers that wait are not the ones backed up: their commits keep the configured codec.
        try await writer.append(Self.batches(1, of: 100, seed: 5)[0])
        try await writer.seal()
        // Reported again just before: under a loaded test run the reporting task may not have run
        // within the last second (the report holds for one).
        writer.noteReceiveBacklog()
        try await Self.appendRelaxed(writer, Self.batches(1, of: 100, seed: 6))
        reporting.cancel()
        try await writer.close()
        let headers = try Self.headers(directory.path)
        #expect(headers.map(\.isCatchUp) == [false, false, true])
        #expect(headers.map(\.codec) == [.zstd, .zstd, .lz4])
    }

    @Test func rewritingASegmentRecompressesItsCatchUpBlocksAndKeepsEveryRecord() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let batches = Self.batches(3, of: 400, seed: 4)
        let writer = try StoreWriter(directory: directory.path, configuration: Self.alwaysBehind())
        try await Self.appendRelaxed(writer, [batches[0]])
        try await writer.append(batches[1])  // a prompt commit: zstd, not catch-up
        try await Self.appendRelaxed(writer, [batches[2]])
        try await writer.close()
        let before = try Self.headers(directory.path)
        #expect(before.map(\.isCatchUp) == [true, false, true])
        let path = try #require(try segmentPaths(directory.path).first)
        let sealedAt = try #require(try StoreCatalog(directory: directory.path).segments.first?.sealedAt)

        // A reader that listed the store before the rewrite still reads every block after it.
        var warnings: [String] = []
        let reader = try StoreReader(directory: directory.path) { warnings.append($0) }
        let temporary = path + ".recompress.tmp"
        let outcome = try SegmentRewriter.rewrite(path, into: temporary, codec: .zstd, zstdLevel: 3) { false }
        #expect(outcome == .rewritten(blocks: 2))
        #expect(rename(temporary, path) == 0)

        let after = try Self.headers(directory.path)
        #expect(after.allSatisfy { $0.codec == .zstd && !$0.isCatchUp })
        #expect(after.map(\.recordCount) == before.map(\.recordCount))
        #expect(after.map(\.rawLengths.messages) == before.map(\.rawLengths.messages))
        #expect(try StoreCatalog(directory: directory.path).segments.first?.sealedAt == sealedAt)
        var back: [LogRecord] = []
        reader.read(RecordFilter()) { back.append($0); return true }
        #expect(warnings.isEmpty)
        #expect(back == timeOrdered(batches.flatMap { $0 }))
        let report = try StoreVerifier.verify(directory: directory.path)
        #expect(report.problems.isEmpty)
        #expect(!SegmentRewriter.hasCatchUpBlocks(path))
        #expect(try SegmentRewriter.rewrite(path, into: temporary, codec: .zstd, zstdLevel: 3) { false } == .nothingToDo)
    }

    @Test func aCorruptCatchUpBlockIsCopiedAsItIsAndAnInterruptedRewriteLeavesTheSegmentAlone() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, configuration: Self.alwaysBehind())
        try await Self.appendRelaxed(writer, [Self.batches(1, of: 300, seed: 5)[0]])
        try await writer.seal()
        try await Self.appendRelaxed(writer, [Self.batches(1, of: 300, seed: 6)[0]])
        try await writer.close()
        let paths = try segmentPaths(directory.path)
        #expect(paths.count == 2)

        // Flip a payload byte of the first segment's block: the rewrite copies it untouched.
        let file = try PosixFile(path: paths[0], flags: O_RDWR)
        let position = Int64(SegmentHeader.size + BlockHeader.size + 5)
        var byte = try file.read(at: position, count: 1)
        byte[0] ^= 0xFF
        try file.write(byte, at: position)
        let original = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
        let temporary = paths[0] + ".recompress.tmp"
        #expect(try SegmentRewriter.rewrite(paths[0], into: temporary, codec: .zstd, zstdLevel: 3) { false } == .rewritten(blocks: 0))
        #expect(try Data(contentsOf: URL(fileURLWithPath: temporary)) == original)
        unlink(temporary)

        #expect(try SegmentRewriter.rewrite(paths[1], into: temporary, codec: .zstd, zstdLevel: 3) { true } == .interrupted)
        #expect(SegmentRewriter.hasCatchUpBlocks(paths[1]))
        unlink(temporary)
    }

    @Test func theDaemonsWriterRecompressesCatchUpSegmentsOnceItKeepsUpIncludingOnesLeftByAnEarlierRun() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let first = Self.batches(2, of: 300, seed: 7)
        // An earlier run (or an import) left a sealed segment of catch-up blocks.
        let importer = try StoreWriter(directory: directory.path, configuration: Self.alwaysBehind())
        try await Self.appendRelaxed(importer, first)
        try await importer.close()
        #expect(try Self.headers(directory.path).allSatisfy(\.isCatchUp))

        // The daemon's writer finds it at start, and rewrites a segment it seals itself once a
        // maintenance pass finds it keeping up.
        var configuration = Self.alwaysBehind()
        configuration.catchUpAfter = 40_000_000
        let daemon = try StoreWriter(directory: directory.path, configuration: Self.alwaysBehind(), rewriteInBackground: true)
        let second = Self.batches(2, of: 300, seed: 8)
        try await Self.appendRelaxed(daemon, second)
        try await daemon.seal()
        try await daemon.reconfigure(configuration)
        let deadline = ContinuousClock.now + .seconds(30)
        while try Self.headers(directory.path).contains(where: \.isCatchUp), ContinuousClock.now < deadline {
            try await daemon.maintain()
            try await Task.sleep(for: .milliseconds(100))
        }
        let headers = try Self.headers(directory.path)
        #expect(headers.count >= 2)
        #expect(headers.allSatisfy { $0.codec == .zstd && !$0.isCatchUp })
        try await daemon.close()
        #expect(try readAll(directory.path) == timeOrdered((first + second).flatMap { $0 }))
        #expect(SegmentDirectory(path: directory.path).temporaryFiles().isEmpty)
    }

    @Test func rewritesWaitUntilTheWriterHasKeptUpForTheQuietPeriod() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = Self.alwaysBehind()
        configuration.recompressAfter = 3_600_000_000_000
        let writer = try StoreWriter(directory: directory.path, configuration: configuration, rewriteInBackground: true)
        try await Self.appendRelaxed(writer, [Self.batches(1, of: 200, seed: 10)[0]])
        try await writer.seal()
        // Long enough for a rewrite that did not wait (the rewriter looks again every second).
        for _ in 0..<25 {
            try await writer.maintain()  // finds the writer keeping up: the quiet period starts
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try Self.headers(directory.path).allSatisfy(\.isCatchUp), "an hour has not passed")
        try await writer.close()
    }

    @Test func aRewriteOfASegmentThatRetentionDeletedMeanwhileIsDropped() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, configuration: Self.alwaysBehind())
        try await Self.appendRelaxed(writer, [Self.batches(1, of: 100, seed: 9)[0]])
        try await writer.close()
        let path = try #require(try segmentPaths(directory.path).first)
        let temporary = path + ".recompress.tmp"
        #expect(try SegmentRewriter.rewrite(path, into: temporary, codec: .zstd, zstdLevel: 3) { false } == .rewritten(blocks: 1))
        #expect(unlink(path) == 0)
        #expect(!StoreWriter.replace(path, with: temporary, in: SegmentDirectory(path: directory.path)))
        #expect(access(path, F_OK) != 0, "a deleted segment is not brought back")
        #expect(access(temporary, F_OK) != 0)
    }
}
