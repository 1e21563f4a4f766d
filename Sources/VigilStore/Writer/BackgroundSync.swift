import Dispatch
import Logging
import Metrics
import Synchronization
import VigilCore

/// fsyncs segment files (and the data directory, when a segment was published in it) on a queue
/// of its own, so a slow disk delays the acknowledgements that wait for durability, not the
/// writing of the next commits. Requests made while a sync runs share the next one.
final class BackgroundSync: Sendable {
    private struct State {
        var files: [PosixFile] = []
        var directory: String?
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

    /// Makes everything written to `work`'s files so far durable, and the directory's entries,
    /// then calls `waiters`.
    func request(_ work: SegmentWriter.PendingSync, waiters: [StoreWriter.Completion]) {
        let schedule = state.withLock { state -> Bool in
            for file in work.files where !state.files.contains(where: { $0 === file }) { state.files.append(file) }
            state.directory = work.directory ?? state.directory
            state.waiters += waiters
            guard !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if schedule { queue.async { self.run() } }
    }

    /// Returns once every sync requested so far has run.
    func drain() async {
        await queue.finishQueuedWork()
    }

    private func run() {
        // Everything these waiters wrote was written before this point, so before the fsync.
        let (files, directory, waiters) = state.withLock { state in
            defer {
                state.files = []
                state.directory = nil
                state.waiters = []
                state.scheduled = false
            }
            return (state.files, state.directory, state.waiters)
        }
        let start = ContinuousClock.now
        let result = Result { () throws(StoreError) in
            for file in files { try file.sync() }
            if let directory { try PosixFile.syncDirectory(directory) }
        }
        timer.record(duration: ContinuousClock.now - start)
        for waiter in waiters { waiter(result.mapError { $0 as any Error }) }
        if case .failure(let error) = result { logger.error("fsync failed", metadata: ["error": "\(error)"]) }
    }
}
