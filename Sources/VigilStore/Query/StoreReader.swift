import Dispatch
import Foundation
import Synchronization
import VigilCore

/// Answers queries over a data directory: counts and records in event-time order, skipping blocks
/// whose header rules them out, reporting (and skipping) corrupt blocks while returning the rest.
///
/// A reader takes no lock: it reads sealed segments by their footers and the active segment up to
/// its last complete block, so it runs beside a live writer.
public final class StoreReader {
    public let directory: String
    public private(set) var catalog: StoreCatalog
    /// Called with a one-line description of each corrupt block or unreadable segment skipped.
    private let onWarning: (String) -> Void

    public init(directory: String, onWarning: @escaping (String) -> Void = { _ in }) throws(StoreError) {
        self.directory = directory
        self.onWarning = onWarning
        catalog = try StoreCatalog(directory: directory)
        for (path, reason) in catalog.unreadable { onWarning("\(path): skipped: \(reason)") }
    }

    /// Threads for `blocks` blocks: `requested`, by default the cores (asked only when there is
    /// more than one block to share), at most one per block, at least one.
    static func workers(_ requested: Int?, blocks: Int) -> Int {
        blocks > 1 ? max(1, min(requested ?? ProcessInfo.processInfo.activeProcessorCount, blocks)) : 1
    }

    func warn(_ error: StoreError, _ location: BlockLocation) {
        onWarning("\(error.description) (\(location.recordCount) records skipped)")
    }

    /// Counts matching records, spreading blocks over `threads` threads (by default as many as
    /// there are cores, asked only when there are blocks to share).
    public func count(_ filter: RecordFilter, threads: Int? = nil) -> Int {
        let blocks = catalog.blocks.filter {
            !filter.excludes(minTime: $0.minTime, maxTime: $0.maxTime, severityMask: $0.severityMask)
        }
        let workers = Self.workers(threads, blocks: blocks.count)
        let files = catalog.files
        let totals = Mutex<(count: Int, failures: [(StoreError, BlockLocation)])>((0, []))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let evaluator = BlockEvaluator(filter: filter, files: files)
            var count = 0
            var failures: [(StoreError, BlockLocation)] = []
            for index in stride(from: worker, to: blocks.count, by: workers) {
                do throws(StoreError) {
                    count += try evaluator.count(blocks[index])
                } catch {
                    failures.append((error, blocks[index]))
                }
            }
            totals.withLock {
                $0.count += count
                $0.failures += failures
            }
        }
        let result = totals.withLock { $0 }
        for (error, location) in result.failures.sorted(by: { ($0.1.segmentID, $0.1.offset) < ($1.1.segmentID, $1.1.offset) }) {
            warn(error, location)
        }
        return result.count
    }

    /// Calls `body` with each matching record in event-time order (newest first with `reverse`) until
    /// it returns false or `limit` records were given. Records with equal times keep their store order.
    /// Records carry the `fields` asked for. Blocks are decoded ahead on `threads` threads (see
    /// `BlockPrefetch`; by default as many as there are cores, asked only when there are blocks to share).
    public func read(
        _ filter: RecordFilter, reverse: Bool = false, limit: Int? = nil, fields: FieldSelection = .all,
        threads: Int? = nil, _ body: (LogRecord) throws -> Bool
    ) rethrows {
        var pending = catalog.blocks.filter {
            !filter.excludes(minTime: $0.minTime, maxTime: $0.maxTime, severityMask: $0.severityMask)
        }
        pending.sort { reverse ? $0.maxTime > $1.maxTime : $0.minTime < $1.minTime }
        let files = catalog.files
        let prefetch = BlockPrefetch(locations: pending, threads: Self.workers(threads, blocks: pending.count)) {
            BlockEvaluator(filter: filter, fields: fields, files: files)
        }
        defer { prefetch.stop() }
        var heap = Heap<BlockCursor> { a, b in reverse ? a.key > b.key : a.key < b.key }
        var next = 0
        var given = 0
        while true {
            while next < pending.count,
                heap.first.map({ reverse ? pending[next].maxTime >= $0.key.time : pending[next].minTime <= $0.key.time }) ?? true
            {
                let location = pending[next]
                switch prefetch.take(next) {
                case .success(let decoded) where !decoded.matches.isEmpty:
                    let matches = decoded.matches
                    heap.push(BlockCursor(block: decoded.block, location: location, matches: reverse ? matches.reversed() : matches))
                case .success: break
                case .failure(let error): warn(error, location)
                }
                next += 1
            }
            guard var cursor = heap.pop() else { return }
            if let limit, given >= limit { return }
            let index = cursor.matches[cursor.position]
            let record: LogRecord
            do throws(FormatError) {
                record = try cursor.block.record(at: index)
            } catch {
                warn(.corruptBlock(path: cursor.location.path, offset: cursor.location.offset, reason: BlockEvaluator.describe(error)), cursor.location)
                continue
            }
            given += 1
            guard try body(record) else { return }
            cursor.position += 1
            if cursor.position < cursor.matches.count { heap.push(cursor) }
        }
    }

    /// After the records already in the catalog, waits for new blocks and calls `body` with their
    /// matching records (each new block's records in time order) until `body` returns false. It is
    /// woken by the directory's changes (`DirectoryWatch`), and looks at least every `fallback`
    /// seconds.
    public func follow(
        _ filter: RecordFilter, fields: FieldSelection = .all, fallback: Double = 1, _ body: (LogRecord) throws -> Bool
    ) rethrows {
        let evaluator = BlockEvaluator(filter: filter, fields: fields, files: catalog.files)
        var known = Dictionary(uniqueKeysWithValues: catalog.segments.map { ($0.id, $0) })
        let watch = DirectoryWatch(directory: directory, fallback: fallback)
        while true {
            watch.wait()
            guard let listing = try? SegmentDirectory(path: directory).segments() else { continue }
            for (id, path) in listing {
                let previous = known[id]
                if previous?.sealed == true { continue }
                guard let summary = try? StoreCatalog.summarize(id: id, path: path, resumingFrom: previous) else { continue }
                let seen = previous?.blocks.count ?? 0
                known[id] = summary
                evaluator.use(summary)
                for location in summary.blocks.dropFirst(seen) {
                    var records: [LogRecord] = []
                    do throws(StoreError) {
                        let (block, matches) = try evaluator.readMatches(location)
                        do throws(FormatError) {
                            for index in matches { records.append(try block.record(at: index)) }
                        } catch {
                            throw .corruptBlock(path: location.path, offset: location.offset, reason: BlockEvaluator.describe(error))
                        }
                    } catch {
                        warn(error, location)
                    }
                    for record in records {
                        guard try body(record) else { return }
                    }
                }
            }
        }
    }
}

/// A decoded block and the position of the next matching record to hand out.
struct BlockCursor {
    let block: DecodedBlock
    let location: BlockLocation
    let matches: [Int]
    var position = 0

    /// Orders records across blocks: event time, then store position (segment, offset, index).
    var key: RecordKey {
        RecordKey(time: block.times[matches[position]], segment: location.segmentID, offset: location.offset, index: matches[position])
    }
}

struct RecordKey: Comparable {
    var time: Int64
    var segment: UInt64
    var offset: Int64
    var index: Int

    static func < (a: RecordKey, b: RecordKey) -> Bool {
        (a.time, a.segment, a.offset, a.index) < (b.time, b.segment, b.offset, b.index)
    }
}
