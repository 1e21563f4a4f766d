import VigilCore

/// The records of one group commit, kept as the batches they were appended in.
///
/// A commit under a UDP flood gathers hundreds of appends (one per read burst). Copying them into
/// one array grew it by doubling, each time into freshly mapped memory that the kernel had to
/// fault in page by page, only for the array to be freed after the commit. Instead the batches are
/// kept as they came, and a block's records are read where they are: straight from their batch
/// when the block lies within one, otherwise gathered into a buffer the encoding thread reuses.
struct RecordBatches: Sendable {
    private var records: [[LogRecord]] = []
    private var sourceSizes: [[Int]] = []
    /// Where each batch starts among all the records.
    private var starts: [Int] = []
    /// All the records.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Adds a batch (with one source size per record).
    mutating func append(_ batch: [LogRecord], sourceSizes sizes: [Int]) {
        precondition(batch.count == sizes.count, "one source size per record")
        guard !batch.isEmpty else { return }
        starts.append(count)
        records.append(batch)
        sourceSizes.append(sizes)
        count += batch.count
    }

    /// Cuts the records into blocks of at most `maxRecords` records and about `maxBytes`,
    /// reckoning each record by its size at the source or its message, whichever is larger: both
    /// are known without reading the records' strings and fields, which the encoder reads next.
    func blockRanges(maxRecords: Int, maxBytes: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var bytes = 0
        var end = 0
        for (batch, sizes) in zip(records, sourceSizes) {
            for index in batch.indices {
                if end - start == maxRecords || bytes >= maxBytes {
                    ranges.append(start..<end)
                    start = end
                    bytes = 0
                }
                bytes += max(sizes[index], batch[index].message.utf8.count) + 16
                end += 1
            }
        }
        if end > start { ranges.append(start..<end) }
        return ranges
    }

    /// Calls `body` with the records in `range` (indices among all the records) and their source
    /// sizes as contiguous slices: a batch's own storage when the range lies within one batch,
    /// otherwise copies gathered into `gathered`, which are let go again before returning.
    func withRecords<Result>(
        in range: Range<Int>, gatheringInto gathered: inout GatheredRecords,
        _ body: (ArraySlice<LogRecord>, ArraySlice<Int>) -> Result
    ) -> Result {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        guard !range.isEmpty else { return body([], []) }
        var batch = batchIndex(of: range.lowerBound)
        var offset = range.lowerBound - starts[batch]
        if offset + range.count <= records[batch].count {
            let slice = offset..<(offset + range.count)
            return body(records[batch][slice], sourceSizes[batch][slice])
        }
        gathered.reserve(range.count)
        defer { gathered.clear(keepingRoom: range.count <= SegmentWriter.floodBlockRecords) }
        var left = range.count
        while left > 0 {
            let taken = min(left, records[batch].count - offset)
            gathered.records.append(contentsOf: records[batch][offset..<(offset + taken)])
            gathered.sourceSizes.append(contentsOf: sourceSizes[batch][offset..<(offset + taken)])
            left -= taken
            batch += 1
            offset = 0
        }
        return body(gathered.records[...], gathered.sourceSizes[...])
    }

    /// The batch holding record `index`.
    private func batchIndex(of index: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= index { low = middle } else { high = middle - 1 }
        }
        return low
    }
}

/// A block's records copied together from several batches, with room kept for the next block.
struct GatheredRecords {
    fileprivate(set) var records: [LogRecord] = []
    fileprivate(set) var sourceSizes: [Int] = []

    /// Room for `count` records (exactly, rather than what doubling would give).
    fileprivate mutating func reserve(_ count: Int) {
        records.reserveCapacity(count)
        sourceSizes.reserveCapacity(count)
    }

    /// Lets the records go (their strings are released now, not at the next block), keeping the
    /// room when asked: for a flood block (4,096 records, about 0.4 MiB), not for a larger one.
    fileprivate mutating func clear(keepingRoom: Bool) {
        records.removeAll(keepingCapacity: keepingRoom)
        sourceSizes.removeAll(keepingCapacity: keepingRoom)
    }
}
