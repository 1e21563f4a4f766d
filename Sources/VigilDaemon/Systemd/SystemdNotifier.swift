import CSystemd

/// Talks to systemd through `sd_notify` (a no-op when not started by systemd, that is when
/// `NOTIFY_SOCKET` is unset): readiness, status lines, watchdog pings and stopping.
public struct SystemdNotifier: Sendable {
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

    private func send(_ state: String) {
        _ = sd_notify(0, state)
    }
}
