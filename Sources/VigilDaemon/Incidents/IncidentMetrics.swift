import Metrics
import VigilIncidents

/// The incidents' Prometheus metrics: open incidents by severity, transitions by event type,
/// signal-to-commit latency, and signals given up when their transaction kept failing (a full
/// queue counts into the same `vigil_incident_signals_dropped_total`, from the detection service).
final class IncidentMetrics: Sendable {
    private let open: [IncidentSeverity: Gauge]
    private let transitions: [IncidentEventType: Counter]
    private let latency = Metrics.Timer(label: "vigil_incident_signal_commit_seconds")
    private let dropped = Counter(label: "vigil_incident_signals_dropped_total")

    init() {
        open = Dictionary(
            uniqueKeysWithValues: IncidentSeverity.allCases.map {
                ($0, Gauge(label: "vigil_incidents_open", dimensions: [("severity", $0.rawValue)]))
            })
        transitions = Dictionary(
            uniqueKeysWithValues: IncidentEventType.allCases.map {
                ($0, Counter(label: "vigil_incident_transitions_total", dimensions: [("type", $0.rawValue)]))
            })
    }

    /// Counts the events of committed changes.
    func record(_ changes: [IncidentChange]) {
        for change in changes { transitions[change.type]?.increment() }
    }

    /// Publishes the open incidents by severity.
    func open(_ counts: [IncidentSeverity: Int]) {
        for (severity, gauge) in open { gauge.record(counts[severity] ?? 0) }
    }

    /// Records how long a signal waited for its transaction.
    func committed(after duration: Duration) {
        latency.recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Counts signals given up after failed transactions.
    func dropped(_ count: Int) {
        dropped.increment(by: count)
    }
}
