import ArgumentParser
import Foundation
import Logging
import VigilAllocator
import VigilCore
import VigilDaemon
import VigilSettings

/// `vigild`: the Vigil log daemon.
@main
struct VigildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigild",
        abstract: "The Vigil log daemon: syslog (UDP, TCP), journald and HTTP JSON into a compressed, checksummed store.",
        discussion: """
            vigild reads its configuration from DIR/vigil.toml and DIR/conf.d/*.toml (merged in file-name \
            order), takes the data directory's lock, recovers the store, and starts the enabled inputs:
              syslog over UDP   [inputs.syslog_udp] listen = "127.0.0.1:5514"
              syslog over TCP   [inputs.syslog_tcp] enabled = true (RFC 6587; off by default)
              journald          [inputs.journald] enabled = true
              HTTP JSON         [inputs.http] listen = "127.0.0.1:8080"
            Every batch is appended durably, then run through the rules and detectors ([[rules]], \
            [detectors.*]); their signals open and update incidents in DATA_DIR/incidents.db \
            ([incidents]), managed through the management API ([api] listen = "127.0.0.1:8081", \
            vigil incidents) and PagerDuty-style events (POST /v1/events). The HTTP listener also \
            serves GET /v1/signals, GET /healthz and GET /metrics (Prometheus).

            Signals: SIGTERM or SIGINT stops accepting, drains the pipeline, seals the store and exits 0 \
            within [daemon] shutdown_timeout. SIGHUP reloads the configuration; an invalid one is logged \
            and the running one kept.

            Under systemd (Type=notify) it reports READY=1 once every input listens, STATUS= lines with \
            the ingest rate, WATCHDOG=1 pings when WatchdogSec= is set, and STOPPING=1.

            Exit status: 0 after a clean shutdown, 1 when the configuration is invalid or the store or an \
            input cannot be opened (the reason is printed on one line), 2 for usage errors.
            """,
        version: "0.1.0")

    @Option(name: .long, help: ArgumentHelp("The configuration directory.", valueName: "dir"))
    var config = CoreConfiguration.defaultDirectory

    @Option(name: .long, help: ArgumentHelp("The data directory; overrides data_dir.", valueName: "dir"))
    var dataDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    /// Parses the command line; usage errors exit 2 (swift-argument-parser's default is 64), as
    /// the unit's `RestartPreventExitStatus=2` expects.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("vigild: \(message(for: error)) (see 'vigild --help')\n".utf8))
            Foundation.exit(code == .validationFailure ? 2 : 1)
        }
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vigild")
        var configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.load(directory: config)
        } catch {
            fail("\(error)")
        }
        if let dataDir { configuration.core.dataDir = dataDir }
        do {
            // Process-wide set-up belongs to main: the metrics backend and the allocator.
            let process = ProcessSetup(
                metrics: PrometheusEndpoint.bootstrap(), allocator: ProcessHeap.description,
                returnFreedMemory: { ProcessHeap.returnDecayedPages() })
            try await VigilDaemon(configurationDirectory: config, configuration: configuration, process: process, logger: logger).run()
        } catch {
            fail("\(error)")
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("vigild: \(message)\n".utf8))
        Foundation.exit(1)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
