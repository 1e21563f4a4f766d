import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals
import VigilCore
import VigilNotify
import VigilSettings
import VigilStore

/// Reloads the configuration on SIGHUP. The store settings (codec, level, rotation, fsync,
/// retention) apply to what is written next; `[[rules]]` and `[detectors]` apply between two
/// batches (unchanged rules and detectors keep their state; see `DetectionEngine.reconfigure`);
/// `[[webhooks]]` apply at once, queued deliveries kept; changes to inputs, `data_dir`, the pipeline size,
/// `[incidents]`, `[api]` or `[outputs.nats]` need a restart, and the log says so. An invalid new configuration is logged with its file, line and
/// reason, and the running one stays.
final class ReloadService: Service {
    let directory: String
    private let current: Mutex<DaemonConfiguration>
    let store: StoreWriter
    let dispatcher: WebhookDispatcher
    /// The detection service's input: a reload is queued there, between batches.
    let detection: AsyncStream<DetectionInput>.Continuation
    let evidenceFilters: RunningEvidenceFilters
    let notifier: SystemdNotifier
    let logger: Logger

    init(
        directory: String, configuration: DaemonConfiguration, store: StoreWriter, dispatcher: WebhookDispatcher,
        detection: AsyncStream<DetectionInput>.Continuation, evidenceFilters: RunningEvidenceFilters, notifier: SystemdNotifier,
        logger: Logger
    ) {
        self.directory = directory
        current = Mutex(configuration)
        self.store = store
        self.dispatcher = dispatcher
        self.detection = detection
        self.evidenceFilters = evidenceFilters
        self.notifier = notifier
        self.logger = logger
    }

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await reload()
        }
    }

    private func reload() async {
        notifier.reloading()
        defer { notifier.ready(status: "configuration reloaded") }
        let next: DaemonConfiguration
        do {
            next = try DaemonConfiguration.load(directory: directory)
        } catch {
            logger.error("configuration not reloaded; keeping the running one", metadata: ["error": "\(error)"])
            return
        }
        let previous = current.withLock { $0 }
        var changed: [String] = []
        if next.core.store != previous.core.store {
            do {
                try await store.reconfigure(next.core.store)
                changed.append("store")
            } catch {
                logger.error("store settings not applied", metadata: ["error": "\(error)"])
            }
        }
        if next.detection != previous.detection {
            evidenceFilters.replace(with: next.detection)
            detection.yield(.reconfigure(next.detection))
            changed.append("rules and detectors")
        }
        if next.webhooks != previous.webhooks {
            await dispatcher.reconfigure(next.webhooks)
            changed.append("webhooks")
        }
        if next.shutdownTimeout != previous.shutdownTimeout || next.statusInterval != previous.statusInterval {
            logger.warning("[daemon] changes take effect after a restart")
        }
        if next.incidents != previous.incidents || next.api != previous.api {
            logger.warning("[incidents] and [api] changes take effect after a restart")
        }
        if next.inputs != previous.inputs || next.core.dataDir != previous.core.dataDir {
            logger.warning("input, pipeline and data_dir changes take effect after a restart")
        }
        if next.natsOutput != previous.natsOutput {
            logger.warning("[outputs.nats] changes take effect after a restart")
        }
        current.withLock { $0 = next }
        logger.info("configuration reloaded", metadata: ["applied": "\(changed.isEmpty ? "nothing changed" : changed.joined(separator: ", "))"])
    }
}
