import Dispatch
import Logging
import Metrics
import Synchronization
import VigilCore
import VigilStore

/// The bounded stage between the inputs and the store.
///
/// At most `capacity` records are in flight (waiting for, or inside, a group commit). An input
/// reserves room before it hands a batch over, and each input reacts to a full pipeline in its own
/// way: UDP's parsing queue waits up to a second (`retryWhenRoom`) and then drops and counts
/// (`offer`), TCP stops reading until it is called back (`whenRoom`), HTTP waits a short while and
/// then answers 503 (`submit(…, waitingAtMost:)`), journald and the NATS input wait as long as it
/// takes (`submit`), which pauses their reading. Every wait is woken by the commit that gives room
/// back, so backpressure releases as soon as the store catches up.
///
/// Committed batches are passed to the observers (the detectors) after they are durable.
///
/// A commit takes at most half the capacity (`StoreWriter.limitCommits(toRecords:)`), so that
/// under a flood the inputs keep handing records over while the previous ones are encoded.
public final class IngestPipeline: Sendable {
    /// Why a batch was not accepted.
    public enum SubmitError: Error, CustomStringConvertible {
        /// The pipeline stayed full for the whole wait.
        case full
        /// The store refused the batch.
        case store(any Error)

        public var description: String {
            switch self {
            case .full: "the ingest pipeline is full"
            case .store(let error): "the store did not accept the batch: \(error)"
            }
        }
    }

    /// Called with every batch once it is durable.
    public typealias Observer = @Sendable ([LogRecord]) -> Void

    /// The records the pipeline holds at most.
    public var capacity: Int { budget.limit }
    private let store: StoreWriter
    private let budget: RecordBudget
    private let committed = Atomic<Int>(0)
    private let observers = Mutex<[Observer]>([])
    /// Who waits for room: threads blocked in `retryWhenRoom`, each woken through its semaphore, and
    /// the callbacks of `whenRoom`, all told when room comes back.
    private struct RoomWaiters {
        var threads: [DispatchSemaphore] = []
        var callbacks: [@Sendable () -> Void] = []
    }
    private let roomWaiters = Mutex(RoomWaiters())
    /// Whether `roomWaiters` holds any: read without the lock on every release, which is on every
    /// commit's path, while inputs wait only when the pipeline is full.
    private let hasRoomWaiters = Atomic<Bool>(false)
    private let metrics: [IngestInput: IngestMetrics]
    private let depth: Gauge
    private let logger: Logger

    /// A pipeline into `store` holding at most `capacity` records, reporting its metrics to
    /// `metricsFactory` (the bootstrapped one unless a test passes its own).
    public init(
        store: StoreWriter, capacity: Int, logger: Logger = Logger(label: "vigil.ingest"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.store = store
        budget = RecordBudget(limit: capacity)
        store.limitCommits(toRecords: capacity / 2)  // (at least one record: limitCommits clamps)
        self.logger = logger
        depth = Gauge(label: "vigil_pipeline_queue_records", factory: metricsFactory)
        metrics = Dictionary(uniqueKeysWithValues: IngestInput.allCases.map { ($0, IngestMetrics(input: $0, factory: metricsFactory)) })
    }

    /// The metrics of `input`.
    public func metrics(for input: IngestInput) -> IngestMetrics { metrics[input]! }

    /// Records in flight now.
    public var queuedRecords: Int { budget.count }

    /// Records made durable since the pipeline started.
    public var committedRecords: Int { committed.load(ordering: .relaxed) }

    /// Returns once nothing is in flight (every accepted batch is durable or failed): the daemon
    /// calls it on shutdown after the inputs have stopped.
    public func drain() async {
        while budget.count > 0 {
            let bell = Doorbell()
            whenRoom { bell.ring() }
            // Room given back before the callback was registered is not rung: look again first.
            if budget.count == 0 { return }
            await bell.wait(until: nil)
        }
    }

    /// Adds an observer of committed batches.
    public func observe(_ observer: @escaping Observer) {
        observers.withLock { $0.append(observer) }
    }

    /// What `offer` does with a batch that finds the pipeline full.
    public enum WhenFull: Sendable {
        /// Counts the records as dropped (UDP: the datagrams are gone anyway).
        case drop
        /// Counts backpressure only: the caller keeps the batch and offers it again (TCP, which
        /// stops reading meanwhile so the sender's window fills).
        case keep
    }

    /// Hands `records` over without waiting: returns `false` when the pipeline is full. The append
    /// runs in the background and may wait up to the store's `commit_delay` to share a group
    /// commit; for inputs whose sender does not wait for durability (syslog over UDP and TCP).
    ///
    /// `retrying`: the batch was refused before and offered again. A batch counts once in
    /// `vigil_input_backpressure_total`, however often it is retried, as a request that waits in
    /// `submit` does.
    @discardableResult
    public func offer(
        _ records: [LogRecord], sourceSizes: [Int], from input: IngestInput, whenFull: WhenFull = .drop, retrying: Bool = false
    ) -> Bool {
        guard !records.isEmpty else { return true }
        guard reserve(records.count) else {
            if whenFull == .drop { metrics[input]!.dropped.increment(by: records.count) }
            if !retrying { metrics[input]!.backpressure.increment() }
            return false
        }
        store.append(records, sourceSizes: sourceSizes, acknowledgement: .afterWrite) { result in
            switch result {
            case .success: self.committed(records, from: input)
            case .failure(let error):
                self.release(records.count)
                self.metrics[input]!.dropped.increment(by: records.count)
                self.logger.error(
                    "dropped a batch the store refused",
                    metadata: ["input": "\(input.rawValue)", "records": "\(records.count)", "error": "\(error)"])
            }
        }
        return true
    }

    /// Calls `attempt` (an offer with `whenFull: .keep`) until it succeeds or `deadline` passes,
    /// blocking the calling thread between attempts until a commit gives room back: for an input on a
    /// thread of its own (the UDP parsing queue). The thread is registered before each attempt, so
    /// room given back between a refused attempt and the wait still wakes it. Returns whether an
    /// attempt succeeded.
    public func retryWhenRoom(until deadline: ContinuousClock.Instant, _ attempt: () -> Bool) -> Bool {
        while true {
            let semaphore = DispatchSemaphore(value: 0)
            roomWaiters.withLock {
                $0.threads.append(semaphore)
                hasRoomWaiters.store(true, ordering: .sequentiallyConsistent)
            }
            if attempt() {
                forget(semaphore)
                return true
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                forget(semaphore)
                return false
            }
            let nanoseconds = Int(remaining / .nanoseconds(1))
            if semaphore.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
                forget(semaphore)
                return attempt()
            }
        }
    }

    /// Takes a thread's semaphore off the waiters (it was not signalled, or no longer matters).
    private func forget(_ semaphore: DispatchSemaphore) {
        roomWaiters.withLock { waiters in
            waiters.threads.removeAll { $0 === semaphore }
            if waiters.threads.isEmpty, waiters.callbacks.isEmpty {
                hasRoomWaiters.store(false, ordering: .sequentiallyConsistent)
            }
        }
    }

    /// Calls `callback` once, on the thread that gives room back, the next time a commit (or a
    /// failed one) gives room back: for an input on an event loop that offers with `whenFull: .keep`
    /// and must not block (syslog over TCP), which then offers again. Room given back between a
    /// refused offer and this call is not seen: offer once more after registering.
    public func whenRoom(_ callback: @escaping @Sendable () -> Void) {
        roomWaiters.withLock {
            $0.callbacks.append(callback)
            hasRoomWaiters.store(true, ordering: .sequentiallyConsistent)
        }
    }

    /// Threads blocked in `retryWhenRoom` now.
    var threadsWaitingForRoom: Int { roomWaiters.withLock { $0.threads.count } }

    /// Callbacks waiting for room now.
    var callbacksWaitingForRoom: Int { roomWaiters.withLock { $0.callbacks.count } }

    /// Reports that records are piling up before an input can read them (a UDP socket's receive
    /// queue is filling): the store writes its cheaper catch-up blocks for a while
    /// (`StoreWriter.noteReceiveBacklog`).
    public func noteReceiveBacklog() {
        store.noteReceiveBacklog()
    }

    /// Appends `records` and returns once they are durable. Waits for room as long as the pipeline
    /// is full, or at most `timeout` (then throws `SubmitError.full`).
    public func submit(
        _ records: [LogRecord], sourceSizes: [Int], from input: IngestInput, waitingAtMost timeout: Duration? = nil
    ) async throws(SubmitError) {
        guard !records.isEmpty else { return }
        if !reserve(records.count) {
            metrics[input]!.backpressure.increment()
            let deadline = timeout.map { ContinuousClock.now + $0 }
            // Suspended until a commit gives room back (or the deadline): no polling.
            while true {
                if let deadline, ContinuousClock.now >= deadline { throw .full }
                let bell = Doorbell()
                whenRoom { bell.ring() }
                // Room given back before the callback was registered is not rung: try again first.
                if reserve(records.count) { break }
                await bell.wait(until: deadline)
                if reserve(records.count) { break }
            }
        }
        try await commit(records, sourceSizes: sourceSizes, from: input, acknowledgement: .afterSync)
    }

    /// Takes room for `count` records (see `RecordBudget`).
    private func reserve(_ count: Int) -> Bool {
        guard let total = budget.take(count) else { return false }
        depth.record(total)
        return true
    }

    private func commit(
        _ records: [LogRecord], sourceSizes: [Int], from input: IngestInput, acknowledgement: Acknowledgement
    ) async throws(SubmitError) {
        do {
            try await store.append(records, sourceSizes: sourceSizes, acknowledgement: acknowledgement)
        } catch {
            release(records.count)
            throw .store(error)
        }
        committed(records, from: input)
    }

    /// Counts a durable batch, shows it to the observers, then gives its room back (so `drain()`
    /// returns only after the observers have seen every batch).
    private func committed(_ records: [LogRecord], from input: IngestInput) {
        committed.add(records.count, ordering: .relaxed)
        metrics[input]!.records.increment(by: records.count)
        for observer in observers.withLock({ $0 }) { observer(records) }
        release(records.count)
    }

    /// Gives back the room of `count` records.
    private func release(_ count: Int) {
        depth.record(budget.give(count))
        guard hasRoomWaiters.load(ordering: .sequentiallyConsistent) else { return }
        let waiters = roomWaiters.withLock { waiters in
            defer {
                waiters = RoomWaiters()
                hasRoomWaiters.store(false, ordering: .sequentiallyConsistent)
            }
            return waiters
        }
        for thread in waiters.threads { thread.signal() }
        for callback in waiters.callbacks { callback() }
    }
}
