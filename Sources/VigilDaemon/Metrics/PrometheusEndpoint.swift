import Metrics
import Prometheus

/// The process-wide Prometheus registry behind swift-metrics: every `Counter`, `Gauge` and `Timer`
/// the modules create lands here, and `GET /metrics` renders it in the text exposition format.
public struct PrometheusEndpoint: Sendable {
    /// The registry the metrics factory writes to.
    public let registry: PrometheusCollectorRegistry

    /// Bootstraps swift-metrics with a Prometheus factory. Call once per process, before any metric
    /// is created.
    public static func bootstrap() -> PrometheusEndpoint {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // fsync latencies: 100 µs to 5 s.
        // A signal waiting for its incident transaction: 100 µs to 5 s.
        factory.durationHistogramBuckets["vigil_incident_signal_commit_seconds"] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        factory.durationHistogramBuckets["vigil_store_fsync_seconds"] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        // A webhook attempt: 1 ms to 30 s (the longest default timeout is 10 s).
        factory.durationHistogramBuckets["vigil_webhook_attempt_seconds"] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
            .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        return PrometheusEndpoint(registry: registry)
    }

    /// The metrics in Prometheus text format.
    public func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
