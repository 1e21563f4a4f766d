import Logging
import ServiceLifecycle

/// Gives memory back to the kernel: every second the heap pages whose decay time has passed
/// (`ProcessSetup.returnFreedMemory`; the allocator does so only as it allocates and frees, so an
/// idle daemon would keep what its last burst freed), and once, `startupPeriod` after start, the
/// code pages only start-up used (`StartupCodePages`).
struct MemoryUpkeepService: Service {
    let returnFreedMemory: @Sendable () -> Void
    let logger: Logger

    /// How long after start the code pages only start-up used are released.
    static let startupPeriod: Duration = .seconds(10)

    func run() async throws {
        let started = ContinuousClock.now
        var codePagesReleased = false
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            } catch {
                return
            }
            returnFreedMemory()
            if !codePagesReleased, ContinuousClock.now - started >= Self.startupPeriod {
                codePagesReleased = true
                if let bytes = StartupCodePages.release() {
                    logger.debug("released start-up code pages", metadata: ["resident_kib": "\(bytes / 1024)"])
                }
            }
        }
    }
}
