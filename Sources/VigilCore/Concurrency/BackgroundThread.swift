import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A serial queue of work run on a thread of its own at a lower CPU priority (a positive nice
/// value): for background jobs that must yield the CPU to ingestion, such as the store's rewriter,
/// which would otherwise take a share of the cores the inputs and the writer need.
///
/// Linux keeps a nice value per thread, so only this thread is lowered (`setpriority` with
/// `who = 0` acts on the calling thread). The thread exists while there is work: it is started by
/// the first job and ends once none is left, delayed ones included, so an idle queue holds no
/// thread. Jobs run one at a time, in order of due time, then of submission.
public final class BackgroundThread: Sendable {
    private struct Job {
        var due: UInt64
        var sequence: UInt64
        var work: @Sendable () -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var sequence: UInt64 = 0
        var running = false
    }

    private enum Step {
        case run(@Sendable () -> Void)
        case wait(until: UInt64)
        case exit
    }

    /// The thread's name (`vigil-rewrite`; Linux keeps 15 bytes of it).
    public let name: String
    /// The nice value the thread runs at (0–19; higher is lower priority).
    public let niceness: Int32
    private let state = Mutex(State())
    /// Signalled for each job scheduled while the thread runs; it waits on it for a delayed job.
    private let wake = DispatchSemaphore(value: 0)

    /// A queue whose thread runs at `niceness`.
    public init(name: String, niceness: Int32) {
        self.name = name
        self.niceness = niceness
    }

    /// Runs `work` after the jobs already submitted.
    public func async(_ work: @escaping @Sendable () -> Void) {
        schedule(due: DispatchTime.now().uptimeNanoseconds, work)
    }

    /// Runs `work` once `delay` has passed (and the jobs due before it have run).
    public func asyncAfter(_ delay: Duration, _ work: @escaping @Sendable () -> Void) {
        let nanos = UInt64(max(0, delay.components.seconds)) &* 1_000_000_000 &+ UInt64(max(0, delay.components.attoseconds / 1_000_000_000))
        schedule(due: DispatchTime.now().uptimeNanoseconds &+ nanos, work)
    }

    /// Returns once the jobs submitted before the call and due by then have run.
    public func finishQueuedWork() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in async { done.resume() } }
    }

    private func schedule(due: UInt64, _ work: @escaping @Sendable () -> Void) {
        let start = state.withLock { state -> Bool in
            state.jobs.append(Job(due: due, sequence: state.sequence, work: work))
            state.sequence &+= 1
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start {
            Thread { self.loop() }.start()
        } else {
            wake.signal()
        }
    }

    /// Names the calling thread (what `top -H` shows) through `/proc/thread-self/comm`: Foundation
    /// does not pass a name set before `start()` on to Linux, and glibc's `pthread_setname_np` is
    /// hidden from Swift behind `_GNU_SOURCE`.
    static func nameCurrentThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private func loop() {
        Self.nameCurrentThread(name)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        while true {
            let step = state.withLock { state -> Step in
                guard let index = state.jobs.indices.min(by: {
                    (state.jobs[$0].due, state.jobs[$0].sequence) < (state.jobs[$1].due, state.jobs[$1].sequence)
                }) else {
                    state.running = false
                    return .exit
                }
                if state.jobs[index].due <= DispatchTime.now().uptimeNanoseconds { return .run(state.jobs.remove(at: index).work) }
                return .wait(until: state.jobs[index].due)
            }
            switch step {
            case .run(let work): work()
            case .wait(let due): _ = wake.wait(timeout: DispatchTime(uptimeNanoseconds: due))
            case .exit: return
            }
        }
    }
}
