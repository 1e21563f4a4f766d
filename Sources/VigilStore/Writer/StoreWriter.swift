import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization
import VigilCore

/// The store's single writer: appends batches of records durably, with group commit.
///
/// `append` returns once the batch is durable under the fsync policy. Appends that arrive while a
/// commit is in progress are gathered and committed together, so many small appends share one
/// `fsync`. All file work happens on one serial dispatch queue, off the caller's threads.
///
/// Opening a writer takes the data directory's lock and runs recovery first.
public final class StoreWriter: Sendable {
    /// Where the records of pending appends wait for the next commit.
    private struct Pending {
        var records: [LogRecord] = []
        var sourceSizes: [Int] = []
        var waiters: [CheckedContinuation<Void, any Error>] = []
        var commitScheduled = false
        var closedReason: String?
    }

    public let directory: String
    /// What recovery found when the writer opened the directory.
    public let recovery: RecoveryReport
    private let pending = Mutex(Pending())
    /// Only touched from `queue`; the mutex is uncontended and keeps the compiler's proof simple.
    private let segments: Mutex<SegmentWriter>
    private let lastSync = Mutex<Int64>(0)
    private let queue = DispatchQueue(label: "vigil.store.writer")
    /// Held from open until `close` (or until the writer is released).
    private let lock: Mutex<DataDirectoryLock?>
    private let logger: Logger
    private let fsyncTimer = Metrics.Timer(label: "vigil_store_fsync_seconds")

    /// Opens (creating if needed) the data directory for writing.
    public init(directory: String, configuration: StoreConfiguration, logger: Logger = Logger(label: "vigil.store")) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, operation: "create directory", errno: errno == 0 ? EACCES : errno)
        }
        self.directory = directory
        self.logger = logger
        lock = Mutex(try DataDirectoryLock(directory: directory))
        let layout = SegmentDirectory(path: directory)
        recovery = try SegmentRecovery.recover(layout, logger: logger)
        segments = Mutex(
            SegmentWriter(directory: layout, configuration: configuration, nextID: recovery.nextSegmentID, logger: logger))
    }

    /// Appends `records` and returns once they are durable (see `FsyncPolicy`). `sourceSizes` gives
    /// each record's size at its source, for the compression ratio; by default the message size.
    public func append(_ records: [LogRecord], sourceSizes: [Int]? = nil) async throws {
        guard !records.isEmpty else { return }
        let sizes = sourceSizes ?? records.map { $0.message.utf8.count }
        precondition(sizes.count == records.count, "one source size per record")
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let closedReason = pending.withLock { state -> String? in
                if let reason = state.closedReason { return reason }
                state.records.append(contentsOf: records)
                state.sourceSizes.append(contentsOf: sizes)
                state.waiters.append(continuation)
                if !state.commitScheduled {
                    state.commitScheduled = true
                    queue.async { self.commitPending() }
                }
                return nil
            }
            if let closedReason { continuation.resume(throwing: StoreError.closed(reason: closedReason)) }
        }
    }

    /// Commits everything pending, repeatedly, until nothing is left (group commit).
    private func commitPending() {
        while true {
            let batch = pending.withLock { state -> Pending? in
                guard !state.records.isEmpty else {
                    state.commitScheduled = false
                    return nil
                }
                let taken = Pending(records: state.records, sourceSizes: state.sourceSizes, waiters: state.waiters)
                state.records = []
                state.sourceSizes = []
                state.waiters = []
                return taken
            }
            guard let batch else { return }
            let result = Result { () throws(StoreError) in
                try segments.withLock { (writer) throws(StoreError) in
                    try writer.write(batch.records, sourceSizes: batch.sourceSizes)
                    try syncPerPolicy(writer, force: false)
                    try writer.sealIfOld(now: SegmentWriter.now())
                }
            }
            for waiter in batch.waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
            if case .failure(let error) = result {
                logger.error("append failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func syncPerPolicy(_ writer: SegmentWriter, force: Bool) throws(StoreError) {
        switch writer.configuration.fsync {
        case .batch:
            try timedSync(writer)
        case .interval(let interval):
            let now = SegmentWriter.now()
            if force || now - lastSync.withLock({ $0 }) >= interval {
                try timedSync(writer)
                lastSync.withLock { $0 = now }
            }
        case .never:
            if force { try timedSync(writer) }
        }
    }

    /// `writer.sync()`, recording its latency in the `vigil_store_fsync_seconds` histogram.
    private func timedSync(_ writer: SegmentWriter) throws(StoreError) {
        let start = ContinuousClock.now
        try writer.sync()
        fsyncTimer.record(duration: ContinuousClock.now - start)
    }

    /// Periodic upkeep: the interval fsync, sealing an old active segment, and retention. The daemon
    /// calls it every second or so; it is cheap when there is nothing to do.
    public func maintain() async throws {
        try await onQueue { (writer) throws(StoreError) in
            try self.syncPerPolicy(writer, force: false)
            try writer.sealIfOld(now: SegmentWriter.now())
            _ = try RetentionPolicy.apply(
                writer.directory, configuration: writer.configuration, activeSegmentID: writer.activeSegmentID,
                now: SegmentWriter.now(), logger: self.logger)
        }
    }

    /// Applies a new store configuration (codec, sizes, fsync, retention) to what is written next.
    public func reconfigure(_ configuration: StoreConfiguration) async throws {
        try await onQueue { writer in writer.reconfigure(configuration) }
    }

    /// Seals the active segment now (the next append starts a new one).
    public func seal() async throws {
        try await onQueue { (writer) throws(StoreError) in try writer.seal() }
    }

    /// Commits what is pending, seals the active segment, applies retention, refuses further appends
    /// and releases the data directory's lock.
    public func close() async throws {
        pending.withLock { $0.closedReason = $0.closedReason ?? "closed" }
        try await onQueue { (writer) throws(StoreError) in
            try writer.seal()
            _ = try RetentionPolicy.apply(
                writer.directory, configuration: writer.configuration, activeSegmentID: nil,
                now: SegmentWriter.now(), logger: self.logger)
        }
        lock.withLock { $0 = nil }
    }

    /// Stops writing without sealing, as if the process had died: tests of recovery use it.
    func abandon() {
        pending.withLock { $0.closedReason = "abandoned" }
        queue.sync {}
        lock.withLock { $0 = nil }
    }

    /// Runs `body` on the writer queue after everything appended so far has been committed.
    private func onQueue(_ body: @escaping @Sendable (SegmentWriter) throws(StoreError) -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                self.commitPending()
                let result = Result { () throws(StoreError) in try self.segments.withLock { (w) throws(StoreError) in try body(w) } }
                continuation.resume(with: result.mapError { $0 as any Error })
            }
        }
    }
}
