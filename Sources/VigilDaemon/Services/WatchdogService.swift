import ServiceLifecycle

/// Pings systemd's watchdog (`WATCHDOG=1`) at half the interval it asked for (`WatchdogSec=`), as
/// long as the store accepts maintenance calls, so a wedged writer gets the service restarted.
struct WatchdogService: Service {
    let interval: Duration
    let notifier: SystemdNotifier
    let alive: @Sendable () async -> Bool

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            if await alive() { notifier.watchdog() }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval / 2) }
            } catch {
                return
            }
        }
    }
}
