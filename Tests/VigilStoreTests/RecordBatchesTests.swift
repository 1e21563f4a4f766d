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
        let (small, _) = Self.batches([SegmentWriter.floodBlockRecords / 2, SegmentWriter.floodBlockRecords / 2])
        _ = small.withRecords(in: 0..<small.count, gatheringInto: &gathered) { records, _ in records.count }
        #expect(gathered.records.capacity >= SegmentWriter.floodBlockRecords / 2)
        let (large, _) = Self.batches([SegmentWriter.floodBlockRecords, SegmentWriter.floodBlockRecords])
        _ = large.withRecords(in: 0..<large.count, gatheringInto: &gathered) { records, _ in records.count }
        #expect(gathered.records.capacity == 0)
    }
}
