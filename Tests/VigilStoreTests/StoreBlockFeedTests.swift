import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// The fleet forwarder's view of the store: every block once, in store order, from a position,
/// across the active segment and sealed ones; what retention removed and what is corrupt is
/// reported, never sent; a forwarded block decodes to the records it holds, and one too large for
/// a message splits the same way every time.
@Suite struct StoreBlockFeedTests {
    func records(_ range: Range<Int>, base: Int64 = 1_763_000_000_000_000_000) -> [LogRecord] {
        range.map { LogRecord(time: base + Int64($0) * 1_000_000, host: "web-1", service: "shop", message: "record \($0)") }
    }

    /// Every block from `position`, in calls of at most `maxBlocks`, and where the feed stopped.
    func readAll(_ feed: StoreBlockFeed, from position: BlockPosition, maxBlocks: Int = 3) throws -> ([StoreBlockFeed.Block], BlockPosition) {
        var blocks: [StoreBlockFeed.Block] = []
        var next = position
        while true {
            let batch = try feed.read(from: next, maxBlocks: maxBlocks, maxBytes: 1 << 30)
            blocks += batch.blocks
            next = batch.next
            if !batch.more { return (blocks, next) }
        }
    }

    func messages(_ blocks: [StoreBlockFeed.Block]) throws -> [String] {
        try blocks.flatMap { try BlockTransfer.records(in: $0.bytes).records.map(\.message) }
    }

    @Test func everyBlockOnceInOrderAcrossSegmentsAndAppends() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let writer = try StoreWriter(directory: scratch.path, configuration: StoreConfiguration())
        for start in stride(from: 0, to: 50, by: 10) { try await writer.append(records(start..<start + 10)) }
        let feed = StoreBlockFeed(directory: scratch.path)
        var (blocks, position) = try readAll(feed, from: .start)
        #expect(try messages(blocks) == (0..<50).map { "record \($0)" })
        #expect(blocks.map(\.position.block) == Array(0..<5) && feed.pendingBlocks(after: position) == 0)
        // More appends to the active segment, then a seal and a new segment: read from where it stopped.
        try await writer.append(records(50..<60))
        try await writer.seal()
        try await writer.append(records(60..<70))
        (blocks, position) = try readAll(feed, from: position)
        #expect(try messages(blocks) == (50..<70).map { "record \($0)" })
        #expect(blocks.map(\.position.segment).sorted() == blocks.map(\.position.segment))
        #expect(try feed.end() == position)
        // Nothing new: an empty read that stays put.
        let idle = try feed.read(from: position, maxBlocks: 10, maxBytes: 1 << 20)
        #expect(idle.blocks.isEmpty && idle.next == position && !idle.more)
        try await writer.close()
    }

    @Test func aSegmentRemovedBeforeItWasSentIsReportedAndCorruptBlocksAreSkipped() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let writer = try StoreWriter(directory: scratch.path, configuration: StoreConfiguration())
        try await writer.append(records(0..<10))
        try await writer.seal()
        try await writer.append(records(10..<20))
        try await writer.append(records(20..<30))
        try await writer.close()
        let segments = try SegmentDirectory(path: scratch.path).segments()
        #expect(segments.count == 2)
        // Retention took the first segment; a byte of the second's first block payload flipped.
        try FileManager.default.removeItem(atPath: segments[0].path)
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: segments[1].path))
        try file.seek(toOffset: UInt64(SegmentHeader.size + BlockHeader.size + 3))
        let byte = try file.read(upToCount: 1)![0]
        try file.seek(toOffset: UInt64(SegmentHeader.size + BlockHeader.size + 3))
        try file.write(contentsOf: [byte ^ 0xFF])
        try file.close()
        let feed = StoreBlockFeed(directory: scratch.path)
        let batch = try feed.read(from: BlockPosition(segment: segments[0].id, block: 0), maxBlocks: 10, maxBytes: 1 << 30)
        #expect(batch.missedSegments == [segments[0].id])
        #expect(batch.corrupt.count == 1 && batch.corrupt.first?.reason.contains("checksum") == true)
        #expect(try messages(batch.blocks) == (20..<30).map { "record \($0)" })
    }

    @Test func aBlockLargerThanAMessageSplitsTheSameWayEveryTime() throws {
        let many = (0..<5000).map {
            LogRecord(time: 1_763_000_000_000_000_000 + Int64($0), service: "s\($0 % 7)", message: "message \($0) " + String(repeating: "x", count: $0 % 97))
        }
        let encoder = BlockEncoder(codec: .zstd, zstdLevel: 3)
        var block: [UInt8] = []
        _ = try encoder.encode(many[...], sourceSizes: Array(repeating: 100, count: many.count)[...], into: &block)
        let limit = block.count / 3
        let pieces = try BlockTransfer.split(block, toAtMost: limit)
        #expect(pieces.count >= 3 && pieces.allSatisfy { $0.count <= limit })
        #expect(try pieces.flatMap { try BlockTransfer.records(in: $0).records.map(\.message) } == many.map(\.message))
        #expect(try BlockTransfer.split(block, toAtMost: limit) == pieces)
        #expect(try BlockTransfer.split(block, toAtMost: block.count) == [block])
        var damaged = block
        damaged[BlockHeader.size + 10] ^= 0x01
        #expect(throws: StoreError.self) { try BlockTransfer.records(in: damaged) }
    }
}
