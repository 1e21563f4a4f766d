import Dispatch
import Synchronization
import VigilCore
import VigilStore

/// The store's tail as batches, for re-warming the detectors: the records of the window that
/// were received before this start, read on a dispatch queue of their own (file reads and
/// decompression stay off Swift's cooperative pool) and handed over one batch at a time: the
/// reader waits while two batches are not yet taken, so memory stays bounded however long the
/// window.
enum StoreTail {
    static let batchSize = 4096

    /// The batches (the stream throws when the store cannot be opened), and `taken`, which the
    /// consumer calls after each batch to let the reader go on. `warn` gets each corrupt block
    /// skipped.
    static func batches(
        directory: String, since: Int64, receivedBefore startedAt: Int64, warn: @escaping @Sendable (String) -> Void
    ) -> (batches: AsyncThrowingStream<[LogRecord], any Error>, taken: @Sendable () -> Void) {
        let (stream, continuation) = AsyncThrowingStream<[LogRecord], any Error>.makeStream()
        let room = DispatchSemaphore(value: 2)
        let stopped = Atomic<Bool>(false)
        continuation.onTermination = { _ in
            stopped.store(true, ordering: .relaxed)
            room.signal()
        }
        DispatchQueue(label: "vigil.detect.rewarm").async {
            do {
                let reader = try StoreReader(directory: directory, onWarning: warn)
                var filter = RecordFilter()
                filter.since = since
                var batch: [LogRecord] = []
                batch.reserveCapacity(batchSize)
                // One thread: the re-warm runs beside ingestion, whose cores these are.
                reader.read(filter, threads: 1) { record in
                    guard record.receivedAt < startedAt else { return true }
                    batch.append(record)
                    guard batch.count == batchSize else { return true }
                    room.wait()
                    if stopped.load(ordering: .relaxed) { return false }
                    continuation.yield(batch)
                    batch.removeAll(keepingCapacity: true)
                    return true
                }
                if !batch.isEmpty, !stopped.load(ordering: .relaxed) {
                    room.wait()
                    continuation.yield(batch)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return (stream, { room.signal() })
    }
}
