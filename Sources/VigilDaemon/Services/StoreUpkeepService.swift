import Logging
import ServiceLifecycle
import VigilStore

/// The store's periodic work, every second: `StoreWriter.maintain()` (the fsync of `fsync =
/// "interval"`, sealing segments past their age, retention).
struct StoreUpkeepService: Service {
    let store: StoreWriter
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            } catch {
                return
            }
            do {
                try await store.maintain()
            } catch {
                logger.error("store maintenance failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
