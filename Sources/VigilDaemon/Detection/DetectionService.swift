import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VigilCore
import VigilDetect
import VigilIncidents
import VigilIngest
import VigilStore

/// Runs the rules and detectors over every batch the store has made durable (so each signal's
/// evidence is on disk), on event time.
///
/// At start it restores the mined templates and re-warms the detectors from the store's tail
/// (`[daemon] rewarm`, records received before this start) without signalling, up to the watermark
/// the previous run had reached (`DetectionStateFiles`), so a restart neither forgets baselines nor
/// fires again on records already evaluated. The state is saved every minute and at shutdown. Signals are logged, counted
/// (`vigil_detect_signals_total`), kept for `GET /v1/signals`, and queued for the incident service.
struct DetectionService: Service {
    let configuration: DetectionConfiguration
    let rewarm: Int64
    let dataDirectory: String
    let startedAt: Int64
    let inputs: AsyncStream<DetectionInput>
    let continuation: AsyncStream<DetectionInput>.Continuation
    /// Room for the records waiting to be evaluated, given back batch by batch.
    let backlog: RecordBudget
    let signalLog: SignalLog
    /// Where signals go to become incidents (`nil` with `[incidents] enabled = false`).
    let incidents: SignalQueue?
    let logger: Logger

    func run() async throws {
        let engine = DetectionEngine(configuration: configuration)
        let state = DetectionStateFiles(dataDirectory: dataDirectory)
        do {
            if let snapshot = try state.loadTemplates() { engine.restoreTemplates(snapshot) }
        } catch {
            logger.warning("ignoring the saved templates", metadata: ["file": "\(state.templatesPath)", "error": "\(error)"])
        }
        do {
            if let snapshot = try state.loadAbsence() { engine.restoreAbsence(snapshot) }
        } catch {
            // An earlier format: absent rules start over, as after a first start.
            logger.warning("ignoring the saved absence state", metadata: ["file": "\(state.absencePath)", "error": "\(error)"])
        }
        let metrics = DetectionMetrics()
        var lastFutureWarning: Int64 = 0
        await rewarmFromStore(engine, metrics: metrics, lastFutureWarning: &lastFutureWarning)
        if let watermark = state.loadWatermark(),
            watermark <= WallClock.now() &+ configuration.maxAhead
        {
            // The previous run evaluated everything up to its watermark: do so again, silently.
            _ = engine.advance(to: watermark + configuration.lateness)
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                continuation.yield(.tick(WallClock.now()))
            }
        }
        defer { ticker.cancel() }
        var lastSave = ContinuousClock.now
        await withGracefulShutdownHandler {
            // Consumes until the stream is finished, which happens at shutdown after the inputs have
            // stopped, so the batches already handed over are still evaluated.
            for await input in inputs {
                let signals: [Signal]
                switch input {
                case .records(let records):
                    signals = engine.process(evaluable(records, engine: engine, metrics: metrics, lastWarning: &lastFutureWarning))
                    backlog.give(records.count)
                case .reconfigure(let next):
                    let changes = engine.reconfigure(to: next)
                    signals = []
                    logger.notice("detection reconfigured", metadata: ["changes": "\(changes)"])
                    if !changes.needRestart.isEmpty {
                        logger.warning(
                            "[detectors] changes that take effect after a restart",
                            metadata: ["keys": "\(changes.needRestart.joined(separator: ", "))"])
                    }
                case .tick(let now):
                    // The wall clock moves event time on as a record arriving now would (the
                    // watermark then trails it by the lateness), unless only records may.
                    signals = engine.configuration.followsWallClock ? engine.advance(to: now) : []
                    metrics.update(engine.counters)
                    if ContinuousClock.now - lastSave >= .seconds(60) {
                        save(engine, to: state)
                        lastSave = ContinuousClock.now
                    }
                }
                report(signals, metrics: metrics)
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
        metrics.update(engine.counters)
        save(engine, to: state)
    }

    /// Feeds the store's tail (records received before this start) to the detectors silently; the
    /// store is read on a queue of its own (`StoreTail`).
    private func rewarmFromStore(_ engine: DetectionEngine, metrics: DetectionMetrics, lastFutureWarning: inout Int64) async {
        guard rewarm > 0 else { return }
        let logger = logger
        let (batches, taken) = StoreTail.batches(
            directory: dataDirectory, since: startedAt - rewarm, receivedBefore: startedAt, warn: { logger.warning("\($0)") })
        var total = 0
        do {
            for try await batch in batches {
                engine.warmUp(evaluable(batch, engine: engine, metrics: metrics, lastWarning: &lastFutureWarning))
                total += batch.count
                taken()
            }
            logger.info("detectors re-warmed from the store", metadata: ["records": "\(total)", "window": "\(rewarm / 1_000_000_000)s"])
        } catch {
            logger.warning("could not re-warm the detectors from the store", metadata: ["error": "\(error)"])
        }
    }

    /// The records of `records` the engine evaluates (`DetectionEngine.withinClock`); those stamped
    /// too far ahead are counted, and logged at most once a minute.
    private func evaluable(
        _ records: [LogRecord], engine: DetectionEngine, metrics: DetectionMetrics, lastWarning: inout Int64
    ) -> [LogRecord] {
        let now = WallClock.now()
        let (kept, left, ahead) = engine.withinClock(records, now: now)
        guard let ahead else { return kept }
        metrics.future.increment(by: left)
        if now - lastWarning >= 60_000_000_000 {
            lastWarning = now
            logger.warning(
                "records stamped ahead of this host's clock are stored but not evaluated; is the sender's clock or time zone wrong?",
                metadata: [
                    "records": "\(left)", "host": "\(ahead.host)", "service": "\(ahead.service)",
                    "ahead": "\(DurationParser.format(ahead.time - now))", "max_ahead": "\(DurationParser.format(configuration.maxAhead))",
                ])
        }
        return kept
    }

    private func report(_ signals: [Signal], metrics: DetectionMetrics) {
        guard !signals.isEmpty else { return }
        signalLog.append(signals)
        if let incidents {
            let appended = incidents.append(signals)
            if appended.dropped > 0 { metrics.droppedIncidentSignals.increment(by: appended.dropped) }
            if appended.shouldWarn {
                logger.error(
                    "the incident queue is full: signals left out of incidents (vigil_incident_signals_dropped_total)",
                    metadata: ["dropped": "\(appended.dropped)", "queued": "\(incidents.capacity)"])
            }
        }
        for signal in signals {
            metrics.signal(signal)
            let metadata: Logger.Metadata = [
                "detector": "\(signal.detector.rawValue)", "name": "\(signal.name)", "fingerprint": "\(signal.fingerprint)",
                "severity": "\(signal.severity.name)", "count": "\(signal.count)",
                "score": "\(String(format: "%.2f", signal.score))",
            ]
            if signal.status == .firing {
                logger.warning("signal firing: \(signal.title)", metadata: metadata)
            } else {
                logger.info("signal resolved: \(signal.title)", metadata: metadata)
            }
        }
    }

    private func save(_ engine: DetectionEngine, to state: DetectionStateFiles) {
        do {
            try state.save(
                templates: engine.templateSnapshot(), watermark: engine.counters.watermark, absence: engine.absenceSnapshot())
        } catch {
            logger.error("could not save the detectors' state", metadata: ["error": "\(error)"])
        }
    }
}
