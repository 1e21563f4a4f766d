import Metrics
import Synchronization

/// The webhook metrics, per endpoint:
/// - `vigil_webhook_deliveries_total{endpoint,outcome}`: attempts by outcome — `delivered`,
///   `retried`, `dead`, `gone` (410, the endpoint was disabled);
/// - `vigil_webhook_attempt_seconds{endpoint}`: attempt latency;
/// - `vigil_webhook_queue_depth{endpoint}` and `vigil_webhook_oldest_pending_seconds{endpoint}`;
/// - `vigil_webhook_circuit_state{endpoint}`: 0 closed, 1 half-open, 2 open.
public final class WebhookMetrics: Sendable {
    /// An attempt's outcome.
    public enum Outcome: String, Sendable, CaseIterable {
        case delivered, retried, dead, gone
    }

    private struct Handles {
        var outcomes: [Outcome: Counter]
        var latency: Metrics.Timer
        var depth: Gauge
        var oldest: Gauge
        var circuit: Gauge
    }

    private let handles = Mutex<[String: Handles]>([:])

    /// Creates the metrics (handles are made per endpoint on first use).
    public init() {}

    private func with<T>(_ endpoint: String, _ body: (Handles) -> T) -> T {
        let handle = handles.withLock { handles in
            if let existing = handles[endpoint] { return existing }
            let dimensions = [("endpoint", endpoint)]
            let made = Handles(
                outcomes: Dictionary(
                    uniqueKeysWithValues: Outcome.allCases.map {
                        ($0, Counter(label: "vigil_webhook_deliveries_total", dimensions: dimensions + [("outcome", $0.rawValue)]))
                    }),
                latency: Metrics.Timer(label: "vigil_webhook_attempt_seconds", dimensions: dimensions),
                depth: Gauge(label: "vigil_webhook_queue_depth", dimensions: dimensions),
                oldest: Gauge(label: "vigil_webhook_oldest_pending_seconds", dimensions: dimensions),
                circuit: Gauge(label: "vigil_webhook_circuit_state", dimensions: dimensions))
            handles[endpoint] = made
            return made
        }
        return body(handle)
    }

    func attempt(_ endpoint: String, outcome: Outcome, latency: Int64) {
        with(endpoint) {
            $0.outcomes[outcome]?.increment()
            $0.latency.recordNanoseconds(latency)
        }
    }

    func queue(_ endpoint: String, depth: Int, oldestAge: Double) {
        with(endpoint) {
            $0.depth.record(depth)
            $0.oldest.record(oldestAge)
        }
    }

    func circuit(_ endpoint: String, _ state: CircuitBreaker.State) {
        with(endpoint) {
            $0.circuit.record(state == .closed ? 0 : state == .halfOpen ? 1 : 2)
        }
    }
}
