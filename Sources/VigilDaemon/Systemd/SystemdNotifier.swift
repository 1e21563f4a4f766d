import CSystemd
import Dispatch
import Synchronization

/// Talks to systemd through `sd_notify` (a no-op when not started by systemd, that is when
/// `NOTIFY_SOCKET` is unset): readiness, status lines, watchdog pings and stopping.
///
/// The messages are sent in order from a queue of their own, not by the caller: `sd_notify` writes
/// to a datagram socket and blocks while its receive queue is full (a busy service manager, or a
/// harness that reads late), and the callers are tasks on Swift's cooperative pool, which has one
/// thread per CPU: two blocked status updates stopped a two-CPU vigild's HTTP server.
public struct SystemdNotifier: Sendable {
    /// One queue for every notifier, so that messages keep the order they were sent in.
    private static let queue = DispatchQueue(label: "vigil.systemd.notify")

    public init() {}

    /// `READY=1`: every input listens.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    /// `STATUS=…`: a one-line summary `systemctl status` shows.
    public func status(_ text: String) { send("STATUS=\(text)") }
    /// `WATCHDOG=1`.
    public func watchdog() { send("WATCHDOG=1") }
    /// `STOPPING=1`.
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(status)") }
    /// `RELOADING=1` while the configuration is reloaded, then `READY=1`.
    public func reloading() { send("RELOADING=1") }

    /// The watchdog interval systemd expects pings within (`WatchdogSec=`), or nil when off.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }

    /// Returns once every message sent so far has been handed to the socket, or after `limit` if the
    /// socket stays full: before the process exits, so that `STOPPING=1` is not lost with it, and
    /// without hanging the exit on a service manager that does not read.
    public func flush(atMost limit: Duration = .seconds(1)) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumption = Resumption(continuation)
            Self.queue.async { resumption.resume() }
            let milliseconds = Int(limit / .milliseconds(1))
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { resumption.resume() }
        }
    }

    private func send(_ state: String) {
        Self.queue.async { _ = sd_notify(0, state) }
    }
}

/// A continuation resumed by whichever of two callers comes first.
private final class Resumption: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume() {
        continuation.withLock { $0.take() }?.resume()
    }
}
