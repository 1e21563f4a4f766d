import Logging
import ServiceLifecycle
import VigilCore
import VigilDetect
import VigilIncidentStore
import VigilIncidents

/// Turns the detectors' signals into incidents: takes everything the `SignalQueue` holds, applies
/// it in order in one transaction (a storm costs few fsyncs), and records metrics. Beside that, once
/// a second it resolves quiet incidents (`resolve_on = "quiet"`), and once an hour prunes those past
/// `[incidents] retention`.
///
/// It stops after the detection service (it comes earlier in the service list), applying the
/// signals the detectors emitted while draining.
struct IncidentService: Service {
    let store: IncidentStore
    let queue: SignalQueue
    let filters: IncidentEvidenceFilters
    let metrics: IncidentMetrics
    let logger: Logger

    /// Signals per transaction at most, so an API write never waits long behind a storm.
    static let batchLimit = 2_000

    func run() async throws {
        let housekeeping = Task { await keepHouse() }
        defer { housekeeping.cancel() }
        await withGracefulShutdownHandler {
            while let entries = await queue.next() {
                var start = 0
                while start < entries.count {
                    let end = min(entries.count, start + Self.batchLimit)
                    await commit(entries[start..<end])
                    start = end
                }
            }
        } onGracefulShutdown: {
            queue.finish()
        }
        await refreshOpenCounts()
    }

    private func commit(_ entries: ArraySlice<SignalQueue.Entry>) async {
        let signals = entries.map { IncidentSignal($0.signal, filters: filters) }
        for attempt in 1...3 {
            do {
                let changes = try await store.apply(signals, now: WallClock.now())
                let committed = ContinuousClock.now
                for entry in entries { metrics.committed(after: committed - entry.queuedAt) }
                report(changes)
                await refreshOpenCounts()
                return
            } catch {
                logger.error(
                    "could not write incidents", metadata: ["signals": "\(signals.count)", "attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(attempt == 1 ? 100 : 1000))
            }
        }
        metrics.dropped(signals.count)
        logger.error("signals left out of incidents after 3 attempts", metadata: ["signals": "\(signals.count)"])
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
