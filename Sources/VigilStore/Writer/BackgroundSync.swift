import Dispatch
import Logging
import Metrics
import Synchronization

/// fsyncs the active segment on a queue of its own, so a slow disk delays the acknowledgements
/// that wait for durability, not the writing of the next commits. Requests made while a sync runs
/// share the next one.
///
/// Only the file of the latest request is synced: an earlier segment was sealed, and sealing
/// fsyncs, before anything was written to a later one.
final class BackgroundSync: Sendable {
    private struct State {
        var file: PosixFile?
        var waiters: [StoreWriter.Completion] = []
        var scheduled = false
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "vigil.store.sync")
    private let timer: Metrics.Timer
    private let logger: Logger

    init(timer: Metrics.Timer, logger: Logger) {
        self.timer = timer
        self.logger = logger
    }

    /// Makes everything written to `file` so far durable, then calls `waiters`.
    func request(_ file: PosixFile, waiters: [StoreWriter.Completion]) {
        let schedule = state.withLock { state -> Bool in
            state.file = file
            state.waiters += waiters
            guard !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if schedule { queue.async { self.run() } }
    }

    /// Returns once every sync requested so far has run.
    func drain() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in queue.async { done.resume() } }
    }

    private func run() {
        // Everything these waiters wrote was written before this point, so before the fsync.
        let (file, waiters) = state.withLock { state in
            defer {
                state.file = nil
                state.waiters = []
                state.scheduled = false
            }
            return (state.file, state.waiters)
        }
        guard let file else { return }
        let start = ContinuousClock.now
        let result = Result { () throws(StoreError) in try file.sync() }
        timer.record(duration: ContinuousClock.now - start)
        for waiter in waiters { waiter(result.mapError { $0 as any Error }) }
        if case .failure(let error) = result { logger.error("fsync failed", metadata: ["error": "\(error)"]) }
    }
}
