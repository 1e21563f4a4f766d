import Logging
import ServiceLifecycle
import VigilCore
import VigilDetect
import VigilIncidents

/// Turns the detectors' signals into incidents: an `IncidentRecorder` applies everything the
/// `SignalQueue` holds in order, in few transactions (a storm costs few fsyncs); this records the
/// metrics and logs what changed. Beside that, once
/// a second it resolves quiet incidents (`resolve_on = "quiet"`), and once an hour prunes those past
/// `[incidents] retention`.
///
/// It stops after the detection service (it comes earlier in the service list), applying the
/// signals the detectors emitted while draining.
struct IncidentService: Service {
    let store: any IncidentStore
    let queue: SignalQueue
    /// The evidence filters of the running rules (replaced by a reload).
    let filters: RunningEvidenceFilters
    let metrics: IncidentMetrics
    let logger: Logger

    func run() async throws {
        let housekeeping = Task { await keepHouse() }
        defer { housekeeping.cancel() }
        let filters = filters
        let recorder = IncidentRecorder(store: store, currentFilters: { filters.filters })
        // A graceful shutdown lets the queue drain; a cancellation (another service failed) must
        // not leave the recorder waiting for signals that will never come.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await recordSignals(with: recorder)
            } onGracefulShutdown: {
                queue.finish()
            }
        } onCancel: {
            queue.finish()
        }
        await refreshOpenCounts()
    }

    private func recordSignals(with recorder: IncidentRecorder) async {
        await recorder.run(queue) { entries, changes, committed in
            for entry in entries { metrics.committed(after: committed - entry.queuedAt) }
            report(changes)
            await refreshOpenCounts()
        } failed: { entries, error, attempt in
            logger.error(
                "could not write incidents", metadata: ["signals": "\(entries.count)", "attempt": "\(attempt)", "error": "\(error)"])
            if attempt == IncidentRecorder.attempts {
                metrics.dropped(entries.count)
                logger.error("signals left out of incidents", metadata: ["signals": "\(entries.count)"])
            }
        }
    }

    private func report(_ changes: [IncidentChange]) {
        metrics.record(changes)
        for change in changes where change.type != .updated {
            let incident = change.incident
            let metadata: Logger.Metadata = [
                "incident": "\(incident.reference)", "severity": "\(incident.severity)", "fingerprint": "\(incident.fingerprint)",
                "signals": "\(incident.signalCount)",
            ]
            switch change.type {
            case .opened, .reopened, .severityChanged:
                logger.warning("incident \(change.type): \(incident.title)", metadata: metadata)
            default:
                logger.info("incident \(change.type): \(incident.title)", metadata: metadata)
            }
        }
    }

    private func refreshOpenCounts() async {
        if let counts = try? await store.openCounts() { metrics.open(counts) }
    }

    /// Quiet resolution every second, retention every hour, until cancelled.
    private func keepHouse() async {
        var lastPrune = ContinuousClock.now - .seconds(3600)
        while !Task.isCancelled {
            do {
                let resolved = try await store.resolveQuiet(now: WallClock.now())
                if !resolved.isEmpty {
                    report(resolved)
                    await refreshOpenCounts()
                }
                if ContinuousClock.now - lastPrune >= .seconds(3600) {
                    lastPrune = ContinuousClock.now
                    let pruned = try await store.prune(endedBefore: WallClock.now() - store.policy.retention)
                    if pruned > 0 { logger.info("pruned incidents past retention", metadata: ["incidents": "\(pruned)"]) }
                }
            } catch {
                logger.error("incident upkeep failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
