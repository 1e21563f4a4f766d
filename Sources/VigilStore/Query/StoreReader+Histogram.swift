import Dispatch
import Foundation
import Synchronization
import VigilCore

/// Matching records counted per time bucket, and those at `err` or worse among them.
public struct StoreHistogram: Sendable, Hashable {
    /// Where the first bucket starts (ns).
    public var start: Int64
    /// A bucket's width (ns).
    public var width: Int64
    /// Matching records per bucket.
    public var all: [Int]
    /// Matching records at `err` or worse per bucket.
    public var errors: [Int]

    /// The sum of `all`.
    public var total: Int { all.reduce(0, +) }
}

extension StoreReader {
    /// Counts the records matching `filter` in `buckets` buckets of `width` from `start` (the
    /// filter's own range is narrowed to theirs). Each block the range needs is read once, spread
    /// over `threads` threads; corrupt blocks are reported and skipped as by `read`.
    public func histogram(
        _ filter: RecordFilter, start: Int64, width: Int64, buckets: Int,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> StoreHistogram {
        histogram(filter, start: start, width: width, buckets: buckets, newest: 0, threads: threads).histogram
    }

    /// The histogram and, from the same pass over the blocks, the `newest` latest matching records
    /// of the range, newest first: a search page's chart and its first page for one read.
    public func histogram(
        _ filter: RecordFilter, start: Int64, width: Int64, buckets: Int, newest: Int,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> (histogram: StoreHistogram, newest: [LogRecord]) {
        var narrowed = filter
        let end = start + width * Int64(buckets) - 1
        narrowed.since = max(filter.since ?? start, start)
        narrowed.until = min(filter.until ?? end, end)
        let ranged = narrowed
        // Newest blocks first, so the page of newest records fills early and older blocks only count.
        let blocks = catalog.blocks.filter {
            !ranged.excludes(minTime: $0.minTime, maxTime: $0.maxTime, severityMask: $0.severityMask)
        }.sorted { $0.maxTime > $1.maxTime }
        let workers = max(1, min(threads, blocks.count))
        let files = catalog.files
        let errorLimit = Severity.err.rawValue
        let totals = Mutex<(all: [Int], errors: [Int], records: [LogRecord], failures: [(StoreError, BlockLocation)])>(
            ([Int](repeating: 0, count: buckets), [Int](repeating: 0, count: buckets), [], []))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let evaluator = BlockEvaluator(filter: ranged, files: files)
            var all = [Int](repeating: 0, count: buckets)
            var errors = [Int](repeating: 0, count: buckets)
            var failures: [(StoreError, BlockLocation)] = []
            // The latest `newest` matches seen so far, the oldest of them first.
            var kept = Heap<LogRecord> { $0.time < $1.time }
            for index in stride(from: worker, to: blocks.count, by: workers) {
                do throws(StoreError) {
                    let block = try evaluator.read(blocks[index])
                    let matches: [Int]
                    do throws(FormatError) { matches = try evaluator.matches(in: block) } catch {
                        throw .corruptBlock(path: blocks[index].path, offset: blocks[index].offset, reason: BlockEvaluator.describe(error))
                    }
                    for match in matches.reversed() {
                        let time = block.times[match]
                        let bucket = Int((time - start) / width)
                        guard bucket >= 0, bucket < buckets else { continue }
                        all[bucket] += 1
                        if block.flags[match] & 0x07 <= errorLimit { errors[bucket] += 1 }
                        if newest > 0, kept.count < newest || time > kept.first!.time, let record = try? block.record(at: match) {
                            kept.push(record)
                            if kept.count > newest { _ = kept.pop() }
                        }
                    }
                } catch {
                    failures.append((error, blocks[index]))
                }
            }
            totals.withLock {
                for bucket in 0..<buckets {
                    $0.all[bucket] += all[bucket]
                    $0.errors[bucket] += errors[bucket]
                }
                while let record = kept.pop() { $0.records.append(record) }
                $0.failures += failures
            }
        }
        let result = totals.withLock { $0 }
        for (error, location) in result.failures { warn(error, location) }
        let records = result.records.sorted { $0.time > $1.time }.prefix(newest)
        return (StoreHistogram(start: start, width: width, all: result.all, errors: result.errors), Array(records))
    }
}
