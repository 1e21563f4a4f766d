import Logging
import NIOCore
import ServiceLifecycle
import VigilIngest

/// Starts the syslog (UDP, TCP) and journald inputs, reports them listening, and stops them when the
/// graceful shutdown begins (before the store is sealed).
struct InputsService: Service {
    let configuration: InputsConfiguration
    let pipeline: IngestPipeline
    let dataDirectory: String
    let group: any EventLoopGroup
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        var udp: SyslogUDPInput?
        var tcp: SyslogTCPInput?
        var journald: JournaldInput?
        if configuration.syslogUDP.enabled {
            let input = SyslogUDPInput(configuration: configuration.syslogUDP, pipeline: pipeline, group: group, logger: logger)
            do {
                _ = try await input.start()
            } catch {
                throw ListenerError(
                    input: "syslog over UDP", address: configuration.syslogUDP.listen.map(\.description).joined(separator: ", "),
                    underlying: error)
            }
            udp = input
            state.listening("syslog_udp")
        }
        if configuration.syslogTCP.enabled {
            let input = SyslogTCPInput(configuration: configuration.syslogTCP, pipeline: pipeline, group: group, logger: logger)
            do {
                _ = try await input.start()
            } catch {
                throw ListenerError(
                    input: "syslog over TCP", address: configuration.syslogTCP.listen.map(\.description).joined(separator: ", "),
                    underlying: error)
            }
            tcp = input
            state.listening("syslog_tcp")
        }
        if configuration.journald.enabled {
            let input = JournaldInput(
                configuration: configuration.journald, pipeline: pipeline, dataDirectory: dataDirectory, logger: logger)
            try input.start()
            journald = input
            state.listening("journald")
        }
        try? await gracefulShutdown()
        // This service is the last in the group, so the first to hear of the shutdown.
        state.stopping()
        await udp?.stop()
        await tcp?.stop()
        await journald?.stop()
        logger.info("inputs stopped")
    }
}
