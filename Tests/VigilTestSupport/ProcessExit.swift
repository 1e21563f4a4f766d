import Foundation
import Synchronization

/// The exit of a child process, to await without holding a thread.
///
/// `Process.waitUntilExit()` blocks its thread; on a thread of Swift's cooperative pool (which runs
/// every test and task, and has one thread per CPU) that starves the other tests. On Linux it can
/// also spin, on a thread other than the one that called `run()`: that thread's run loop has no
/// source to wait on. A `ProcessExit` is told of the exit by the process's termination handler
/// instead, which Foundation calls on a thread of its own; get one with `Process.runWatchingExit()`,
/// which sets that handler before the process starts.
public final class ProcessExit: Sendable {
    private enum State {
        case running(waiters: [CheckedContinuation<Int32, Never>])
        case exited(status: Int32)
    }

    private let state = Mutex(State.running(waiters: []))

    init() {}

    /// The process's `terminationStatus` once it has exited: its exit code, or the number of the
    /// signal that ended it. Any number of callers may wait, before or after the exit.
    public var status: Int32 {
        get async {
            await withCheckedContinuation { continuation in
                let exited: Int32? = state.withLock { state in
                    switch state {
                    case .exited(let status):
                        return status
                    case .running(var waiters):
                        waiters.append(continuation)
                        state = .running(waiters: waiters)
                        return nil
                    }
                }
                if let exited { continuation.resume(returning: exited) }
            }
        }
    }

    /// Records the exit and resumes everyone waiting for it; called once, by the termination handler.
    func finish(status: Int32) {
        let waiters = state.withLock { state in
            guard case .running(let waiters) = state else { return [CheckedContinuation<Int32, Never>]() }
            state = .exited(status: status)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }
}
