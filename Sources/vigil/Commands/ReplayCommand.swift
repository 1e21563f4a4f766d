import ArgumentParser
import Foundation
import VigilCore
import VigilDetect

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the configured rules and detectors over stored or file records and print the signals.",
        discussion: """
            Replay runs the exact detection code vigild runs, on event time, so the signals are the ones \
            live traffic would have raised. Use it to try rules against last week's logs before deploying \
            them:

              vigil replay --config ./my-vigil --since -7d
              vigil replay --config ./my-vigil /var/log/syslog.1 -o json

            Rules and detectors come from --config DIR (vigil.toml plus conf.d/*.toml); without it, the \
            defaults apply (the 'errors' rule: more than 5 records of severity err or worse in 60 s per \
            service, and the rate, error-ratio and new-template detectors). Records come from the store \
            (--data-dir, in event-time order) or from FILEs (decoded as vigil import does). At the end, the \
            records still held for reordering are evaluated, so no signal is lost at the end of the input.

            Output (-o table, the default): one line per signal with its status (FIRING or RESOLVED), \
            event-time range, severity, name, count, score and title. -o json prints one object per \
            signal with the group key, fingerprint, evidence records and, for rate and error-ratio \
            signals, the explanation (observed value, expected value, normal band, settings). A summary \
            goes to stderr.
            """
    )

    @OptionGroup var source: RecordSourceOptions

    @Option(name: [.customShort("o"), .long], help: "Output: table or json.")
    var output: String = "table"

    func validate() throws {
        guard ["table", "json"].contains(output) else { throw ValidationError("unknown --output '\(output)'; expected table or json") }
    }

    func run() async throws {
        let configuration = try source.location.loadDaemonConfiguration()
        let engine = DetectionEngine(configuration: configuration.detection)
        let printer = SignalPrinter(json: output == "json")
        var out = OutputBuffer()
        var signals: [Signal] = []
        var records = 0
        var ahead = 0
        let now = WallClock.now()
        try source.forEachBatch { batch in
            records += batch.count
            // The daemon's rule: records stamped beyond max_ahead of the clock are not evaluated.
            let (evaluated, leftOut, _) = engine.withinClock(batch, now: now)
            ahead += leftOut
            for signal in engine.process(evaluated) {
                signals.append(signal)
                printer.append(signal, to: &out.bytes)
                out.flushIfFull()
            }
        }
        for signal in engine.flush() {
            signals.append(signal)
            printer.append(signal, to: &out.bytes)
        }
        out.flush()
        let firing = signals.filter { $0.status == .firing }.count
        let late = engine.counters.lateRecords
        StandardError.line(
            "replayed \(records) records: \(signals.count) signals (\(firing) firing, \(signals.count - firing) resolved)"
                + (late > 0 ? "; \(late) records arrived later than the \(configuration.detection.lateness / 1_000_000_000) s lateness and were left out" : "")
                + (ahead > 0 ? "; \(ahead) records stamped more than max_ahead past this host's clock were left out" : ""))
    }
}
