import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization
import VigilCore

/// The store's single writer: appends batches of records durably, with group commit.
///
/// `append` answers under one of two `Acknowledgement`s: `.afterSync` once the batch is durable
/// under the fsync policy, `.afterWrite` once it is written. Appends that arrive while a commit is
/// in progress are gathered and committed together, so many small appends share one `fsync`.
/// `.afterWrite` appends (senders that do not wait, such as syslog over UDP) may also wait up to
/// `commitDelay` for company, so a steady trickle of small bursts becomes a few full blocks rather
/// than many tiny ones. All file work happens on one serial dispatch queue, off the caller's
/// threads, except the fsyncs of `fsync = "batch"`, which run on a queue of their own
/// (`BackgroundSync`), so a slow disk holds up neither the next commit nor a stream of UDP records.
///
/// When `.afterWrite` records have waited longer than `commitDelay` plus
/// `catchUpAfter`, the writer is behind: it writes blocks with the fast `catchUpCodec` until it
/// catches up, so a flood costs compression ratio for a while instead of records. With
/// `rewriteInBackground` (the daemon), sealed segments holding such blocks are recompressed with
/// the configured codec, and with `compact` their runs of small blocks (live ingestion commits
/// small ones) merged into full-size blocks, once the writer has kept up for `recompressAfter`
/// (`SegmentRewriter`).
///
/// Opening a writer takes the data directory's lock and runs recovery first.
public final class StoreWriter: Sendable {
    /// One append waiting for a commit.
    private struct PendingAppend {
        var records: [LogRecord]
        var sourceSizes: [Int]
        var completion: Completion
        /// When its caller is answered.
        var acknowledgement: Acknowledgement
        /// When it arrived (`DispatchTime` nanoseconds).
        var arrived: UInt64
    }

    /// The appends waiting for the next commit, oldest first.
    private struct Pending {
        var appends: [PendingAppend] = []
        /// Their records.
        var recordCount = 0
        /// A `commitPending` is queued or running.
        var commitQueued = false
        /// A delayed `commitPending` is armed.
        var timerArmed = false
        var closedReason: String?

        var isEmpty: Bool { appends.isEmpty }
        /// Some pending append waits for its fsync, so the commit starts now.
        var waitsForSync: Bool { appends.contains { $0.acknowledgement == .afterSync } }

        /// Takes the oldest appends, as many as fit in `limit` records (at least one), for a commit.
        mutating func takeCommit(limit: Int) -> [PendingAppend] {
            var end = 1
            var records = appends[0].records.count
            while end < appends.count, records + appends[end].records.count <= limit {
                records += appends[end].records.count
                end += 1
            }
            let taken = Array(appends[..<end])
            appends.removeFirst(end)
            recordCount -= records
            return taken
        }
    }

    /// What `commitPending` does next.
    private enum Step {
        case commit([PendingAppend], afterWriteWait: UInt64?)
        case wait(until: DispatchTime)
        case idle
    }

    /// Pending records that make a commit worth doing at once, delay or not: half a block.
    static let promptBatchRecords = SegmentWriter.maxBlockRecords / 2

    public let directory: String
    /// What recovery found when the writer opened the directory.
    public let recovery: RecoveryReport
    private let pending = Mutex(Pending())
    /// The records one commit takes at most (`limitCommits(toRecords:)`).
    private let commitRecordLimit = Atomic<Int>(.max)
    /// Only touched from `queue`; the mutex is uncontended and keeps the compiler's proof simple.
    private let segments: Mutex<SegmentWriter>
    private let lastSync = Mutex<Int64>(0)
    private let queue: DispatchQueue
    /// Recompresses and compacts sealed segments; idle unless `rewriteInBackground`.
    private let rewriter: SegmentRewriter
    private let rewriteInBackground: Bool
    /// "Behind" was logged and "caught up" not yet.
    private let announcedBehind = Atomic<Bool>(false)
    /// Until when (`DispatchTime` nanoseconds) an input reported records piling up before the store.
    private let receiveBacklogUntil = Atomic<UInt64>(0)
    /// How long one backlog report makes commits count as behind.
    static let receiveBacklogHold: UInt64 = 1_000_000_000
    /// When a commit last found the writer behind (`DispatchTime` nanoseconds).
    private let lastBehindAt = Atomic<UInt64>(0)
    /// "Caught up" is logged once no commit has been behind for this long, so that a steady
    /// stream at the edge of what the machine can take logs one episode, not one every second.
    static let episodeQuiet: UInt64 = 5_000_000_000
    /// Held from open until `close` (or until the writer is released).
    private let lock: Mutex<DataDirectoryLock?>
    private let logger: Logger
    private let fsyncTimer: Metrics.Timer
    /// The fsyncs of `fsync = "batch"` commits.
    private let backgroundSync: BackgroundSync

    /// Opens (creating if needed) the data directory for writing. With `rewriteInBackground`,
    /// sealed segments (from this run or an earlier one) are recompressed and compacted in the
    /// background; a short-lived writer leaves them to the daemon. `holdingCompaction` compacts
    /// nothing until `holdCompaction(from:)` says which segments may be (a fleet forwarder's
    /// cursor names blocks by position).
    public init(
        directory: String, configuration: StoreConfiguration, rewriteInBackground: Bool = false,
        holdingCompaction: Bool = false, logger: Logger = Logger(label: "vigil.store")
    ) throws(StoreError) {
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
        let queue = DispatchQueue(label: "vigil.store.writer")
        self.queue = queue
        let fsyncTimer = Metrics.Timer(label: "vigil_store_fsync_seconds")
        self.fsyncTimer = fsyncTimer
        backgroundSync = BackgroundSync(timer: fsyncTimer, logger: logger)
        self.rewriteInBackground = rewriteInBackground
        rewriter = SegmentRewriter(
            codec: configuration.codec, zstdLevel: configuration.zstdBulkLevel, quietPeriod: configuration.recompressAfter,
            compact: configuration.compact, holdingCompaction: holdingCompaction, logger: logger
        ) {
            temporary, segment in
            // On the writer's queue, so retention cannot delete the segment between the check and
            // the rename (which would bring a deleted segment back).
            queue.sync { Self.replace(segment, with: temporary, in: layout) }
        }
        if rewriteInBackground { rewriter.enqueueLeftovers(in: layout) }
    }

    /// Renames `temporary` over `segment` (and makes that durable), or removes `temporary` when the
    /// segment is gone.
    static func replace(_ segment: String, with temporary: String, in layout: SegmentDirectory) -> Bool {
        guard access(segment, F_OK) == 0, rename(temporary, segment) == 0 else {
            unlink(temporary)
            return false
        }
        try? PosixFile.syncDirectory(layout.path)
        return true
    }

    /// Called once an append is durable (written, for `.afterWrite` under `fsync = "batch"`), or
    /// with the reason it is not.
    public typealias Completion = @Sendable (Result<Void, any Error>) -> Void

    /// Appends `records` and returns once they are durable (see `FsyncPolicy`; `.afterWrite` under
    /// `fsync = "batch"`: once written, the fsync following in the background). `sourceSizes` gives
    /// each record's size at its source, for the compression ratio; by default the message size.
    /// An `.afterWrite` commit may wait up to `commitDelay` for more records to share it.
    public func append(
        _ records: [LogRecord], sourceSizes: [Int]? = nil, acknowledgement: Acknowledgement = .afterSync
    ) async throws {
        guard !records.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            append(records, sourceSizes: sourceSizes, acknowledgement: acknowledgement) { continuation.resume(with: $0) }
        }
    }

    /// Appends `records` without waiting; `completion` runs once they are durable, as for the
    /// `async` variant (or at once, with the error, when the writer is closed). For callers on an event
    /// loop, which must not block and need no task to wait in.
    public func append(
        _ records: [LogRecord], sourceSizes: [Int]? = nil, acknowledgement: Acknowledgement, completion: @escaping Completion
    ) {
        guard !records.isEmpty else {
            completion(.success(()))
            return
        }
        let sizes = sourceSizes ?? records.map { $0.message.utf8.count }
        // Checked here, in the caller, rather than when the commit gathers the batches.
        precondition(sizes.count == records.count, "one source size per record")
        let closedReason = pending.withLock { state -> String? in
            if let reason = state.closedReason { return reason }
            let now = DispatchTime.now().uptimeNanoseconds
            state.appends.append(
                PendingAppend(records: records, sourceSizes: sizes, completion: completion, acknowledgement: acknowledgement, arrived: now))
            state.recordCount += records.count
            // An after-write append waits for the armed timer; an after-sync one does not.
            if !state.commitQueued, acknowledgement == .afterSync || !state.timerArmed {
                state.commitQueued = true
                queue.async { self.commitPending() }
            }
            return nil
        }
        if let closedReason { completion(.failure(StoreError.closed(reason: closedReason))) }
    }

    /// Commits what is pending, repeatedly, until nothing is left (group commit). Records that may
    /// wait and have not waited `commitDelay` yet arm a timer instead, unless `force`.
    private func commitPending(force: Bool = false) {
        let delay = UInt64(max(0, segments.withLock { $0.configuration.commitDelay }))
        while true {
            let step = pending.withLock { state -> Step in
                guard let oldest = state.appends.first?.arrived else {
                    state.commitQueued = false
                    return .idle
                }
                let due = oldest + delay
                let ready = force || state.closedReason != nil || state.recordCount >= Self.promptBatchRecords
                    || state.waitsForSync || DispatchTime.now().uptimeNanoseconds >= due
                guard ready else {
                    state.commitQueued = false
                    if state.timerArmed { return .idle }
                    state.timerArmed = true
                    return .wait(until: DispatchTime(uptimeNanoseconds: due))
                }
                let appends = state.takeCommit(limit: commitRecordLimit.load(ordering: .relaxed))
                let afterWriteWait = appends.first { $0.acknowledgement == .afterWrite }.map { DispatchTime.now().uptimeNanoseconds &- $0.arrived }
                return .commit(appends, afterWriteWait: afterWriteWait)
            }
            switch step {
            case .idle:
                return
            case .wait(let deadline):
                queue.asyncAfter(deadline: deadline) {
                    let run = self.pending.withLock { state -> Bool in
                        state.timerArmed = false
                        guard !state.commitQueued else { return false }
                        state.commitQueued = true
                        return true
                    }
                    if run { self.commitPending() }
                }
                return
            case .commit(let appends, let afterWriteWait):
                var records = RecordBatches()
                for append in appends { records.append(append.records, sourceSizes: append.sourceSizes) }
                let afterSyncWaiters = appends.filter { $0.acknowledgement == .afterSync }.map(\.completion)
                let afterWriteWaiters = appends.filter { $0.acknowledgement == .afterWrite }.map(\.completion)
                // With fsync = "batch" the fsync runs on its own queue: after-write callers are
                // told once their records are written, after-sync ones once they are durable, and a
                // slow disk does not hold up the next commit.
                let result = Result { () throws(StoreError) -> SegmentWriter.PendingSync? in
                    try segments.withLock { (writer) throws(StoreError) -> SegmentWriter.PendingSync? in
                        let catchingUp = isBehind(writer, afterWriteWait: afterWriteWait)
                        try writer.write(
                            records, catchingUp: catchingUp,
                            blockRecords: afterWriteWait == nil ? SegmentWriter.maxBlockRecords : SegmentWriter.floodBlockRecords)
                        var syncLater: SegmentWriter.PendingSync?
                        if case .batch = writer.configuration.fsync {
                            syncLater = writer.handOffSync()
                        } else {
                            try syncPerPolicy(writer, force: false)
                        }
                        try writer.sealIfOld(now: WallClock.now())
                        handOverSealedSegments(writer)
                        return syncLater
                    }
                }
                switch result {
                case .success(let syncLater):
                    for waiter in afterWriteWaiters { waiter(.success(())) }
                    if let syncLater {
                        backgroundSync.request(syncLater, waiters: afterSyncWaiters)
                    } else {
                        for waiter in afterSyncWaiters { waiter(.success(())) }
                    }
                case .failure(let error):
                    for waiter in afterSyncWaiters + afterWriteWaiters { waiter(.failure(error)) }
                    logger.error("append failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Makes each commit take at most `count` records (and at least one append), leaving later
    /// appends for the next commit. A bounded pipeline in front of the writer sets it to half its
    /// capacity: were a commit to take every pending record, under a flood it would hold the whole
    /// capacity while it is encoded, and the inputs could hand nothing over until it was written.
    /// Unlimited by default.
    public func limitCommits(toRecords count: Int) {
        commitRecordLimit.store(max(1, count), ordering: .relaxed)
    }

    /// Tells the writer that records from senders that do not wait are piling up before they
    /// reach it: a UDP socket's receive queue is filling because the input does not get the CPU it
    /// needs. For the next second, commits holding such records count as behind and use the
    /// catch-up codec, leaving more of the CPU to the input; the records are not held back.
    /// Cheap enough to call after every read burst.
    public func noteReceiveBacklog() {
        receiveBacklogUntil.store(DispatchTime.now().uptimeNanoseconds + Self.receiveBacklogHold, ordering: .relaxed)
    }

    /// Whether a commit whose relaxed records waited `afterWriteWait` (nanoseconds; nil when every
    /// sender waits, and gets backpressure instead) finds the writer behind, or comes while an
    /// input reports a receive backlog. The rewriter is told, and waits while it is; the first
    /// commit behind in an episode is logged.
    private func isBehind(_ writer: SegmentWriter, afterWriteWait: UInt64?) -> Bool {
        guard let wait = afterWriteWait else { return false }
        let configuration = writer.configuration
        let writerBehind = wait > UInt64(max(0, configuration.commitDelay + configuration.catchUpAfter))
        let behind = writerBehind || receiveBacklogReported
        rewriter.setWriterBehind(behind)
        if behind { lastBehindAt.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }
        if behind, !announcedBehind.exchange(true, ordering: .relaxed) {
            let who = writerBehind ? "store writer is behind" : "an input's receive queue is filling"
            let message: Logger.Message =
                if let codec = configuration.distinctCatchUpCodec {
                    "\(who): writing \(codec) blocks until it catches up"
                } else {
                    "\(who)"
                }
            logger.info(message, metadata: ["waited_ms": "\(wait / 1_000_000)"])
        }
        return behind
    }

    /// An input reported a receive backlog within the last `receiveBacklogHold`.
    private var receiveBacklogReported: Bool {
        DispatchTime.now().uptimeNanoseconds < receiveBacklogUntil.load(ordering: .relaxed)
    }

    /// Called when a maintenance pass finds nothing waiting: the rewriter may start counting
    /// its quiet period, and the episode behind ends (and is logged) once no commit has been
    /// behind for `episodeQuiet`.
    private func noteKeepingUp() {
        rewriter.setWriterBehind(false)
        guard DispatchTime.now().uptimeNanoseconds &- lastBehindAt.load(ordering: .relaxed) >= Self.episodeQuiet else { return }
        if announcedBehind.exchange(false, ordering: .relaxed) { logger.info("store writer caught up") }
    }

    /// Gives the segments just sealed with catch-up or small blocks to the rewriter (daemon only).
    private func handOverSealedSegments(_ writer: SegmentWriter) {
        let sealed = writer.takeSealedForRewrite()
        if rewriteInBackground { rewriter.enqueue(sealed) }
    }

    private func syncPerPolicy(_ writer: SegmentWriter, force: Bool) throws(StoreError) {
        switch writer.configuration.fsync {
        case .batch:
            try timedSync(writer)
        case .interval(let interval):
            let now = WallClock.now()
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
            try writer.sealIfOld(now: WallClock.now())
            self.handOverSealedSegments(writer)
            // Nothing waiting after a commit and no input backlog reported: the writer keeps up.
            if !self.receiveBacklogReported, self.pending.withLock({ $0.isEmpty }) { self.noteKeepingUp() }
            _ = try RetentionPolicy.apply(
                writer.directory, configuration: writer.configuration, activeSegmentID: writer.activeSegmentID,
                now: WallClock.now(), logger: self.logger)
        }
    }

    /// Applies a new store configuration (codec, sizes, fsync, retention) to what is written next.
    public func reconfigure(_ configuration: StoreConfiguration) async throws {
        try await onQueue { writer in writer.reconfigure(configuration) }
        rewriter.reconfigure(
            codec: configuration.codec, zstdLevel: configuration.zstdBulkLevel, quietPeriod: configuration.recompressAfter,
            compact: configuration.compact)
    }

    /// Compacts no segment from `segment` on, nor any later one (nil: lifts the hold). The fleet
    /// forwarder calls it with its cursor's segment: compaction renumbers a segment's blocks, so it
    /// waits until the forwarder has sent the whole segment.
    public func holdCompaction(from segment: UInt64?) {
        rewriter.holdCompaction(from: segment)
    }

    /// Seals the active segment now, and fsyncs it (the next append starts a new one).
    public func seal() async throws {
        try await onQueue { (writer) throws(StoreError) in
            try writer.seal()
            try writer.sync()
            self.handOverSealedSegments(writer)
        }
    }

    /// Commits what is pending, seals the active segment, applies retention, refuses further appends
    /// and releases the data directory's lock.
    public func close() async throws {
        pending.withLock { $0.closedReason = $0.closedReason ?? "closed" }
        // Catch-up segments not yet rewritten are found again by the next daemon run.
        await rewriter.stop()
        try await onQueue { (writer) throws(StoreError) in
            try writer.seal()
            try writer.sync()
            writer.discardSpare()
            _ = try RetentionPolicy.apply(
                writer.directory, configuration: writer.configuration, activeSegmentID: nil,
                now: WallClock.now(), logger: self.logger)
        }
        await backgroundSync.drain()
        lock.withLock { $0 = nil }
    }

    /// Stops writing without sealing, as if the process had died: tests of recovery use it.
    func abandon() {
        pending.withLock { $0.closedReason = "abandoned" }
        rewriter.halt()
        queue.sync {}
        lock.withLock { $0 = nil }
    }

    /// Runs `body` on the writer queue after everything appended so far has been committed.
    private func onQueue(_ body: @escaping @Sendable (SegmentWriter) throws(StoreError) -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                self.commitPending(force: true)
                let result = Result { () throws(StoreError) in try self.segments.withLock { (w) throws(StoreError) in try body(w) } }
                continuation.resume(with: result.mapError { $0 as any Error })
            }
        }
    }
}
