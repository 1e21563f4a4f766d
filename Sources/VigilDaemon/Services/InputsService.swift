import Logging
import NIOCore
import ServiceLifecycle
import VigilFleet
import VigilIngest

/// Starts the syslog (UDP, TCP), journald and NATS inputs, reports them listening, and stops them when the
/// graceful shutdown begins (before the store is sealed).
struct InputsService: Service {
    let configuration: InputsConfiguration
    let pipeline: IngestPipeline
    let dataDirectory: String
    /// Fleet mode's central input, when `[inputs.nats]` is set.
    let nats: NATSInput?
    let group: any EventLoopGroup
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        var udp: SyslogUDPInput?
        var tcp: SyslogTCPInput?
        var journald: JournaldInput?
        if configuration.syslogUDP.enabled {
            let input = SyslogUDPInput(configuration: configuration.syslogUDP, pipeline: pipeline, logger: logger)
            try await listen("syslog_udp", "syslog over UDP", on: configuration.syslogUDP.listen) { try input.start() }
            udp = input
        }
        if configuration.syslogTCP.enabled {
            let input = SyslogTCPInput(configuration: configuration.syslogTCP, pipeline: pipeline, logger: logger)
            try await listen("syslog_tcp", "syslog over TCP", on: configuration.syslogTCP.listen) { try input.start() }
            tcp = input
        }
        if configuration.journald.enabled {
            let input = JournaldInput(
                configuration: configuration.journald, pipeline: pipeline, dataDirectory: dataDirectory, logger: logger)
            try input.start()
            journald = input
            state.listening("journald")
        }
        if let nats {
            nats.start()
            state.listening("nats")
        }
        try? await gracefulShutdown()
        // This service is the last in the group, so the first to hear of the shutdown.
        state.stopping()
        await udp?.stop()
        await tcp?.stop()
        await journald?.stop()
        await nats?.stop()
        logger.info("inputs stopped")
    }

    /// Runs `start`, reporting the component listening, or failing with the input and addresses.
    private func listen(
        _ component: String, _ name: String, on addresses: [ListenAddress], _ start: () async throws -> Void
    ) async throws {
        do {
            try await start()
        } catch {
            throw ListenerError(input: name, address: addresses.map(\.description).joined(separator: ", "), underlying: error)
        }
        state.listening(component)
    }
}
