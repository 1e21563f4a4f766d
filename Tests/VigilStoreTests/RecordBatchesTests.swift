import Logging
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// A commit's records kept as the batches they were appended in: blocks are cut across batches as
/// over one array, and a block's records read back in order whether they lie within one batch or
/// are gathered from several.
@Suite struct RecordBatchesTests {
    /// Batches of the given sizes, records numbered across all of them (source size = 10 + number).
    static func batches(_ sizes: [Int]) -> (RecordBatches, [LogRecord]) {
        var batches = RecordBatches()
        var all: [LogRecord] = []
        for size in sizes {
            let batch = (0..<size).map { LogRecord(time: Int64(all.count + $0), message: "m\(all.count + $0)") }
            batches.append(batch, sourceSizes: batch.map { 10 + Int($0.time) })
            all += batch
        }
        return (batches, all)
    }

    @Test func blocksAreCutAcrossBatchesAsOverOneArray() {
        let (batches, all) = Self.batches([3, 0, 5, 1, 7])
        #expect(batches.count == 16)
        #expect(batches.blockRanges(maxRecords: 4, maxBytes: .max) == [0..<4, 4..<8, 8..<12, 12..<16])
        #expect(batches.blockRanges(maxRecords: 100, maxBytes: .max) == [0..<16])
        // Each record counts as its source size (10 + n, larger than its message) plus 16: a block
        // closes once it holds `maxBytes` or more.
        let bytes = all.prefix(3).reduce(0) { $0 + 10 + Int($1.time) + 16 }
        #expect(batches.blockRanges(maxRecords: 100, maxBytes: bytes).first == 0..<3)
        #expect(RecordBatches().blockRanges(maxRecords: 4, maxBytes: .max).isEmpty)
    }

    /// Random batches and limits give the ranges the writer cut over one array before.
    @Test func blockRangesMatchTheOneArrayCutWithRandomBatchesAndLimits() {
        var random = SplitMix(seed: 5)
        for _ in 0..<200 {
            var batches = RecordBatches()
            var all: [(size: Int, message: Int)] = []
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                let batch = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                    LogRecord(time: 0, message: String(repeating: "m", count: Int.random(in: 0...30, using: &random)))
                }
                let sizes = batch.map { _ in Int.random(in: 0...30, using: &random) }
                batches.append(batch, sourceSizes: sizes)
                all += zip(sizes, batch).map { ($0, $1.message.utf8.count) }
            }
            let maxRecords = Int.random(in: 1...20, using: &random)
            let maxBytes = Int.random(in: 1...400, using: &random)
            // The writer's cut over one array, as it was.
            var expected: [Range<Int>] = []
            var start = 0
            while start < all.count {
                var end = start
                var bytes = 0
                while end < all.count, end - start < maxRecords, bytes < maxBytes {
                    bytes += max(all[end].size, all[end].message) + 16
                    end += 1
                }
                expected.append(start..<end)
                start = end
            }
            #expect(batches.blockRanges(maxRecords: maxRecords, maxBytes: maxBytes) == expected)
        }
    }

    @Test func aBlockWithinOneBatchIsReadInPlaceAndOneAcrossBatchesIsGatheredInOrder() {
        let (batches, all) = Self.batches([3, 5, 1, 7])
        var gathered = GatheredRecords()
        for range in [1..<3, 3..<8, 9..<16, 0..<16, 2..<9, 7..<10] {
            let (records, sizes) = batches.withRecords(in: range, gatheringInto: &gathered) { (Array($0), Array($1)) }
            #expect(records == Array(all[range]), "\(range)")
            #expect(sizes == all[range].map { 10 + Int($0.time) }, "\(range)")
            // Gathered copies are let go at once, so the strings they hold are not kept alive.
            #expect(gathered.records.isEmpty && gathered.sourceSizes.isEmpty)
        }
    }

    @Test func theRoomOfAFloodBlockIsKeptAndThatOfALargerOneIsNot() {
        var gathered = GatheredRecords()
        // Batches whose size does not divide the block's: the room is reserved for the block, not
        // grown by doubling past it (which would not be kept).
        let (small, _) = Self.batches(Array(repeating: 1000, count: 5))
        _ = small.withRecords(in: 0..<SegmentWriter.floodBlockRecords, gatheringInto: &gathered) { records, _ in records.count }
        #expect(gathered.records.capacity >= SegmentWriter.floodBlockRecords)
        let (large, _) = Self.batches([SegmentWriter.floodBlockRecords, SegmentWriter.floodBlockRecords])
        _ = large.withRecords(in: 0..<large.count, gatheringInto: &gathered) { records, _ in records.count }
        #expect(gathered.records.capacity == 0)
    }

    /// A commit of several batches written by the segment writer: flood-sized blocks gathered across
    /// batches, or one large block cut into halves, encoded one after the other by one encoding
    /// thread or at once by two; every record reads back.
    @Test(arguments: [SegmentWriter.floodBlockRecords, SegmentWriter.maxBlockRecords], [1, 2])
    func aCommitOfSeveralBatchesIsWrittenInBlocksAcrossThemAndReadsBackWhole(blockRecords: Int, encodingThreads: Int) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var random = SplitMix(seed: 11)
        var batches = RecordBatches()
        var all: [LogRecord] = []
        for size in [1000, 2500, 777, 4096, 1627] {
            let batch = RecordFactory.records(count: size, base: 1_763_000_000_000_000_000 + Int64(all.count) * 1_000_000, using: &random)
            batches.append(batch, sourceSizes: batch.map { $0.message.utf8.count + 1 })
            all += batch
        }
        let writer = SegmentWriter(
            directory: SegmentDirectory(path: directory.path), configuration: StoreConfiguration(), nextID: 1, logger: Logger(label: "test"),
            encodingThreads: encodingThreads)
        try writer.write(batches, blockRecords: blockRecords)
        try writer.seal()
        let counts = try CatchUpCompressionTests.headers(directory.path).map(\.recordCount)
        // 10,000 records: three flood blocks and the rest, or two halves of one large block.
        #expect(counts == (blockRecords == SegmentWriter.floodBlockRecords ? [4096, 4096, 1808] : [5000, 5000]))
        let key = { (record: LogRecord) in "\(record.time) \(record.receivedAt) \(record.message)" }
        #expect(try readAll(directory.path).map(key).sorted() == all.map(key).sorted())
    }
}
