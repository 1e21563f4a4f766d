import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// Compaction: sealed segments whose blocks are small (live ingestion commits one per request) are
/// rewritten as full-size blocks, keeping every record, while readers and the fleet forwarder's
/// positions stay true.
@Suite struct CompactionTests {
    /// Appends `count` prompt commits of `size` records each (as HTTP requests of `size` records do)
    /// and returns the records.
    static func trickle(_ writer: StoreWriter, commits count: Int, of size: Int, seed: UInt64) async throws -> [LogRecord] {
        var all: [LogRecord] = []
        for batch in CatchUpCompressionTests.batches(count, of: size, seed: seed) {
            try await writer.append(batch)
            all += batch
        }
        return all
    }

    static func blockCount(_ path: String) throws -> Int {
        let file = try PosixFile(path: path, flags: O_RDONLY)
        return try #require(try SegmentFooter.read(from: file, fileSize: try file.size())).blocks.count
    }

    static func fileSize(_ path: String) throws -> Int64 {
        try PosixFile(path: path, flags: O_RDONLY).size()
    }

    @Test func runsOfSmallBlocksArePackedUpToAFullBlockAndLargeOrUnusableBlocksStandAlone() {
        func entry(_ records: Int, bytes: Int = 100) -> BlockIndexEntry {
            BlockIndexEntry(
                offset: 0, length: 64, recordCount: UInt32(records), minTime: 0, maxTime: 0, sourceBytes: UInt32(bytes),
                severityMask: 1)
        }
        let small = Array(repeating: entry(10), count: 5)
        #expect(SegmentRewriter.mergeGroups(small) == [0..<5])
        // A full block breaks a run; so does a block the caller rules out (a damaged one).
        #expect(SegmentRewriter.mergeGroups(small + [entry(30_000)] + small) == [0..<5, 5..<6, 6..<11])
        #expect(SegmentRewriter.mergeGroups(small) { $0 != 2 } == [0..<2, 2..<3, 3..<5])
        // Runs are cut where a full block's records would be exceeded.
        let halves = Array(repeating: entry(16_000), count: 3)
        #expect(SegmentRewriter.mergeGroups(halves) == [0..<2, 2..<3])
        // …or its bytes (4 MiB, each record reckoned 16 bytes more, as the writer does).
        let heavy = Array(repeating: entry(10, bytes: 1_500_000), count: 3)
        #expect(SegmentRewriter.mergeGroups(heavy) == [0..<2, 2..<3])
        #expect(SegmentRewriter.mergeGroups([]) == [])
    }

    @Test func compactingASegmentOfSmallCommitsKeepsEveryRecordInFewerBlocksAndFewerBytes() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        let records = try await Self.trickle(writer, commits: 300, of: 10, seed: 21)
        try await writer.close()
        let path = try #require(try segmentPaths(directory.path).first)
        #expect(try Self.blockCount(path) == 300)
        let sizeBefore = try Self.fileSize(path)
        let sealedAt = try #require(try StoreCatalog(directory: directory.path).segments.first?.sealedAt)
        #expect(SegmentRewriter.needsRewrite(path))

        let temporary = path + ".recompress.tmp"
        let outcome = try SegmentRewriter.rewrite(path, into: temporary, codec: .zstd, zstdLevel: 3, compact: true) { false }
        #expect(outcome == .rewritten(blocks: 0, merged: 300, into: 1))
        #expect(rename(temporary, path) == 0)

        #expect(try Self.blockCount(path) == 1)
        #expect(try Self.fileSize(path) * 2 < sizeBefore, "one block compresses far better than 300")
        #expect(try StoreCatalog(directory: directory.path).segments.first?.sealedAt == sealedAt)
        var warnings: [String] = []
        #expect(try readAll(directory.path, warnings: &warnings) == timeOrdered(records))
        #expect(warnings.isEmpty)
        #expect(try StoreVerifier.verify(directory: directory.path).problems.isEmpty)
        #expect(!SegmentRewriter.needsRewrite(path))
        // Without `compact`, small blocks are left alone.
        #expect(try SegmentRewriter.rewrite(path, into: temporary, codec: .zstd, zstdLevel: 3) { false } == .nothingToDo)
    }

    @Test func catchUpBlocksMergedByCompactionCountAsRecompressed() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, configuration: CatchUpCompressionTests.alwaysBehind())
        let batches = CatchUpCompressionTests.batches(6, of: 50, seed: 27)
        for batch in batches { try await CatchUpCompressionTests.appendRelaxed(writer, [batch]) }
        try await writer.close()
        let path = try #require(try segmentPaths(directory.path).first)
        let before = try CatchUpCompressionTests.headers(directory.path)
        #expect(before.count == 6 && before.allSatisfy(\.isCatchUp))
        let temporary = path + ".recompress.tmp"
        let outcome = try SegmentRewriter.rewrite(path, into: temporary, codec: .zstd, zstdLevel: 3, compact: true) { false }
        #expect(outcome == .rewritten(blocks: 6, merged: 6, into: 1))
        #expect(rename(temporary, path) == 0)
        let after = try CatchUpCompressionTests.headers(directory.path)
        #expect(after.count == 1 && after[0].codec == .zstd && !after[0].isCatchUp)
        #expect(try readAll(directory.path) == timeOrdered(batches.flatMap { $0 }))
    }

    @Test func aDamagedBlockInARunIsCopiedAsItIsAndTheBlocksAroundItAreStillMerged() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        let records = try await Self.trickle(writer, commits: 9, of: 20, seed: 22)
        try await writer.close()
        let path = try #require(try segmentPaths(directory.path).first)
        let victim = try StoreCatalog(directory: directory.path).blocks[4]
        let file = try PosixFile(path: path, flags: O_RDWR)
        let position = victim.offset + Int64(BlockHeader.size) + 3
        var byte = try file.read(at: position, count: 1)
        byte[0] ^= 0xFF
        try file.write(byte, at: position)

        let temporary = path + ".recompress.tmp"
        // The damaged block fails its checksum: it is copied as it is, and the runs before and
        // after it are merged, each into a block.
        let outcome = try SegmentRewriter.rewrite(path, into: temporary, codec: .zstd, zstdLevel: 3, compact: true) { false }
        #expect(outcome == .rewritten(blocks: 0, merged: 8, into: 2))
        #expect(rename(temporary, path) == 0)
        #expect(try Self.blockCount(path) == 3)
        var warnings: [String] = []
        let back = try readAll(directory.path, warnings: &warnings)
        #expect(warnings.count == 1)
        #expect(back.count == records.count - 20)
        #expect(try StoreReader(directory: directory.path).count(RecordFilter()) == back.count)
        let problems = try StoreVerifier.verify(directory: directory.path).problems
        #expect(Set(problems.map(\.offset)).count == 1, "one damaged block, reported: \(problems)")
    }

    @Test func aReaderAndABlockFeedThatListedTheSegmentBeforeItWasCompactedReadWhatTheyListed() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        let records = try await Self.trickle(writer, commits: 40, of: 5, seed: 23)
        try await writer.close()
        let path = try #require(try segmentPaths(directory.path).first)

        var warnings: [String] = []
        let reader = try StoreReader(directory: directory.path) { warnings.append($0) }
        let feed = StoreBlockFeed(directory: directory.path)
        let first = try feed.read(from: .start, maxBlocks: 10, maxBytes: 1 << 30)
        #expect(first.blocks.count == 10)

        let temporary = path + ".recompress.tmp"
        #expect(try SegmentRewriter.rewrite(path, into: temporary, codec: .zstd, zstdLevel: 3, compact: true) { false } != .nothingToDo)
        #expect(rename(temporary, path) == 0)
        #expect(try Self.blockCount(path) == 1)

        var back: [LogRecord] = []
        reader.read(RecordFilter()) { back.append($0); return true }
        #expect(back == timeOrdered(records))
        #expect(reader.count(RecordFilter()) == records.count)
        #expect(warnings.isEmpty)
        // The feed goes on in the file it listed: blocks 10… of the 40, none lost or repeated.
        let rest = try feed.read(from: first.next, maxBlocks: 100, maxBytes: 1 << 30)
        #expect(rest.corrupt.isEmpty)
        let fed = try (first.blocks + rest.blocks).flatMap { try BlockTransfer.records(in: $0.bytes).records }
        #expect(timeOrdered(fed) == timeOrdered(records))
    }

    @Test func theDaemonsWriterCompactsSealedSegmentsButWaitsForTheForwarderToPassThem() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        configuration.recompressAfter = 0
        let writer = try StoreWriter(
            directory: directory.path, configuration: configuration, rewriteInBackground: true, holdingCompaction: true)
        var records = try await Self.trickle(writer, commits: 30, of: 4, seed: 24)
        try await writer.seal()
        records += try await Self.trickle(writer, commits: 30, of: 4, seed: 25)
        try await writer.seal()
        let paths = try segmentPaths(directory.path)
        #expect(paths.count == 2)
        let ids = try SegmentDirectory(path: directory.path).segments().map(\.id)

        // Held: nothing is compacted while the forwarder has not passed the segments.
        for _ in 0..<10 {
            try await writer.maintain()
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try paths.map(Self.blockCount) == [30, 30])

        // The forwarder passed the first segment: it alone is compacted.
        writer.holdCompaction(from: ids[1])
        try await Self.waitUntil { try Self.blockCount(paths[0]) == 1 }
        #expect(try Self.blockCount(paths[1]) == 30)
        // Then the second; and without a forwarder (nil) nothing is held.
        writer.holdCompaction(from: nil)
        try await Self.waitUntil { try Self.blockCount(paths[1]) == 1 }
        try await writer.close()
        #expect(try readAll(directory.path) == timeOrdered(records))
        #expect(SegmentDirectory(path: directory.path).temporaryFiles().isEmpty)
    }

    @Test func aSegmentLeftWithSmallBlocksByAnEarlierRunIsCompactedAtStartAndCompactFalseLeavesIt() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let importer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        let records = try await Self.trickle(importer, commits: 12, of: 3, seed: 26)
        try await importer.close()
        let path = try #require(try segmentPaths(directory.path).first)

        var off = StoreConfiguration()
        off.recompressAfter = 0
        off.compact = false
        let kept = try StoreWriter(directory: directory.path, configuration: off, rewriteInBackground: true)
        for _ in 0..<10 {
            try await kept.maintain()
            try await Task.sleep(for: .milliseconds(50))
        }
        try await kept.close()
        #expect(try Self.blockCount(path) == 12)

        var on = StoreConfiguration()
        on.recompressAfter = 0
        let daemon = try StoreWriter(directory: directory.path, configuration: on, rewriteInBackground: true)
        try await Self.waitUntil {
            try await daemon.maintain()
            return try Self.blockCount(path) == 1
        }
        try await daemon.close()
        #expect(try readAll(directory.path) == timeOrdered(records))
    }

    /// Waits (up to 30 s) for `condition`, which the background rewriter makes true.
    static func waitUntil(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try await condition())
    }
}
