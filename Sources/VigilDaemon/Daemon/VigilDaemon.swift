import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import VigilCore
import VigilDetect
import VigilFleet
import VigilIncidentStore
import VigilIncidentPostgres
import VigilIncidents
import VigilNotify
import VigilIngest
import VigilRegex
import VigilSettings
import VigilStore

/// The daemon: opens the store (recovery first) and the incident database, starts the inputs, the
/// HTTP server and the management API under swift-service-lifecycle, and on SIGTERM or SIGINT stops
/// accepting, drains the pipeline, applies the last signals, seals the store and returns.
public struct VigilDaemon: Sendable {
    /// The configuration directory (`vigil.toml`, `conf.d/`), for SIGHUP reloads.
    public let configurationDirectory: String
    /// The configuration in effect.
    public let configuration: DaemonConfiguration
    private let process: ProcessSetup
    private let logger: Logger

    /// A daemon for a loaded configuration, in a process `main` has set up (`process`).
    public init(configurationDirectory: String, configuration: DaemonConfiguration, process: ProcessSetup, logger: Logger) {
        self.configurationDirectory = configurationDirectory
        self.configuration = configuration
        self.process = process
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT. Throws when the store or the incident database cannot be
    /// opened or an input cannot listen.
    public func run() async throws {
        logger.debug("memory allocator", metadata: ["allocator": "\(process.allocator)"])
        let metrics = process.metrics
        if !PCRE2Regex.isJITAvailable {
            logger.warning(
                "PCRE2's JIT is unavailable (is MemoryDenyWriteExecute= set?): rule and template regular expressions run interpreted, several times slower")
        }
        let notifier = SystemdNotifier()
        let dataDirectory = configuration.core.dataDir
        // A forwarder's cursor names blocks by position: compaction waits for it (`cursorSaved`).
        let store = try StoreWriter(
            directory: dataDirectory, configuration: configuration.core.store, rewriteInBackground: true,
            holdingCompaction: configuration.natsOutput.enabled, logger: Logger(label: "vigil.store"))
        let incidents = try await Self.openIncidents(configuration.incidents, dataDirectory: dataDirectory)
        let pipeline = IngestPipeline(store: store, capacity: configuration.inputs.pipelineMaxRecords)
        let inputs = configuration.inputs
        var components: Set<String> = []
        if inputs.syslogUDP.enabled { components.insert("syslog_udp") }
        if inputs.syslogTCP.enabled { components.insert("syslog_tcp") }
        if inputs.journald.enabled { components.insert("journald") }
        if inputs.http.enabled { components.insert("http") }
        if inputs.nats.enabled { components.insert("nats") }
        if configuration.api.enabled { components.insert("api") }
        let state = DaemonState(components: components, notifier: notifier)

        // Committed batches go to the detectors through a queue bounded in records; if detection
        // falls that far behind, batches are left out of detection (they are stored) and counted.
        let (detectionInputs, detectionContinuation) = AsyncStream.makeStream(of: DetectionInput.self)
        // 8,192 records: a few MiB.
        let backlog = RecordBudget(limit: 8192)
        let skipped = Counter(label: "vigil_detect_skipped_records_total")
        pipeline.observe { records in
            guard backlog.take(records.count) != nil else {
                skipped.increment(by: records.count)
                return
            }
            if case .terminated = detectionContinuation.yield(.records(records)) { backlog.give(records.count) }
        }
        let signalLog = SignalLog()
        let signalQueue = configuration.incidents.enabled ? SignalQueue() : nil

        let hostname = LocalHostName.current()
        let dispatcher = WebhookDispatcher(
            store: incidents, configuration: configuration.webhooks,
            context: NotificationContext(hostname: hostname, externalURL: configuration.api.linkBase(hostname: hostname)),
            metrics: WebhookMetrics(), logger: Logger(label: "vigil.webhooks"))
        incidents.observeOutbox { dispatcher.outboxChanged() }
        // Another vigild sharing the store queued or rescheduled deliveries: the workers look again.
        incidents.observeDeliveries { dispatcher.deliveriesRequeued(endpoint: nil) }

        // Fleet mode: state files are read now, so a damaged one stops the start with its path.
        let forwarder = try configuration.natsOutput.enabled
            ? NATSForwarder(
                configuration: configuration.natsOutput, dataDirectory: dataDirectory, logger: Logger(label: "vigil.forward"),
                cursorSaved: { store.holdCompaction(from: $0) })
            : nil
        if let forwarder { pipeline.observe { _ in forwarder.storeCommitted() } }
        let natsInput = try inputs.nats.enabled
            ? NATSInput(configuration: inputs.nats, pipeline: pipeline, dataDirectory: dataDirectory, logger: Logger(label: "vigil.nats"))
            : nil

        let evidenceFilters = RunningEvidenceFilters(configuration.detection)
        var services: [any Service] = [WebhookService(dispatcher: dispatcher)]
        // First in the group, so the last to stop: it sends what the inputs committed before they stopped.
        if let forwarder { services.insert(ForwarderService(forwarder: forwarder), at: 0) }
        if let signalQueue {
            // Before the detection service, so it stops after it and applies its last signals.
            services.append(
                IncidentService(
                    store: incidents, queue: signalQueue, filters: evidenceFilters,
                    metrics: IncidentMetrics(), logger: Logger(label: "vigil.incidents")))
        }
        services += [
            StoreUpkeepService(store: store, logger: logger),
            MemoryUpkeepService(returnFreedMemory: process.returnFreedMemory, logger: logger),
            StatusService(
                store: store, pipeline: pipeline, interval: .nanoseconds(configuration.statusInterval),
                udpPorts: { Set(inputs.syslogUDP.listen.map(\.port)) }, notifier: notifier),
            ReloadService(
                directory: configurationDirectory, configuration: configuration, store: store, dispatcher: dispatcher,
                detection: detectionContinuation, evidenceFilters: evidenceFilters, notifier: notifier, logger: logger),
            DetectionService(
                configuration: configuration.detection, rewarm: configuration.rewarm, dataDirectory: dataDirectory,
                startedAt: WallClock.now(), inputs: detectionInputs,
                continuation: detectionContinuation, backlog: backlog, signalLog: signalLog, incidents: signalQueue,
                logger: Logger(label: "vigil.detect")),
        ]
        if let interval = notifier.watchdogInterval {
            services.append(WatchdogService(interval: interval, notifier: notifier) { (try? await store.maintain()) != nil })
        }
        if inputs.http.enabled {
            let logger = logger
            let application = DaemonHTTPServer.application(
                configuration: inputs.http, pipeline: pipeline, metrics: metrics, signals: signalLog,
                health: { state.isHealthy }, logger: Logger(label: "vigil.http")
            ) { address in
                logger.info("listening for HTTP", metadata: ["address": "\(inputs.http.listen.host):\(address?.port ?? inputs.http.listen.port)"])
                state.listening("http")
            }
            services.append(NamedListenerService(input: "HTTP", address: "\(inputs.http.listen)", service: application))
        }
        if configuration.api.enabled {
            let logger = logger, api = configuration.api
            let application = ManagementAPI.application(
                configuration: api, store: incidents, dispatcher: dispatcher, dataDirectory: dataDirectory, metrics: metrics,
                hostname: hostname, fleet: FleetRoutes(forwarder: forwarder, input: natsInput), logger: Logger(label: "vigil.api")
            ) { address in
                logger.info("management API listening", metadata: ["address": "\(api.listen.host):\(address?.port ?? api.listen.port)"])
                state.listening("api")
            }
            services.append(NamedListenerService(input: "the management API", address: "\(api.listen)", service: application))
        }
        services.append(
            InputsService(
                configuration: inputs, pipeline: pipeline, dataDirectory: dataDirectory, nats: natsInput,
                group: MultiThreadedEventLoopGroup.singleton, state: state, logger: logger))

        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .nanoseconds(configuration.shutdownTimeout)
        let group = ServiceGroup(configuration: groupConfiguration)
        logger.info("vigild starting", metadata: ["data_dir": "\(dataDirectory)", "config": "\(configurationDirectory)"])
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        state.stopping()
        await notifier.flush()
        await pipeline.drain()
        try await store.close()
        try await incidents.close()
        logger.info("vigild stopped; the store is sealed", metadata: ["records": "\(pipeline.committedRecords)"])
        if let failure { throw failure }
    }

    /// The incident store `[incidents] backend` names: `incidents.db` in the data directory, or
    /// a PostgreSQL database shared with other vigild.
    static func openIncidents(_ policy: IncidentsConfiguration, dataDirectory: String) async throws(IncidentStoreError) -> any IncidentStore {
        switch policy.backend {
        case .sqlite:
            return try SQLiteIncidentStore(
                path: dataDirectory + "/" + SQLiteIncidentStore.fileName, hostname: LocalHostName.current(), policy: policy)
        case .postgres(let settings):
            return try await PostgresIncidentStore.open(
                settings: settings, hostname: LocalHostName.current(), policy: policy,
                logger: Logger(label: "vigil.incidents"))
        }
    }
}
