import Metrics

/// The counters one input reports (swift-metrics; `vigil_input_*` in the Prometheus endpoint).
public struct IngestMetrics: Sendable {
    /// Records accepted by the store.
    public let records: Counter
    /// Bytes received, as the source sent them.
    public let bytes: Counter
    /// Records that could not be parsed and were kept raw.
    public let parseFailures: Counter
    /// Records dropped because the pipeline was full (UDP) or the batch failed to append.
    public let dropped: Counter
    /// Batches (requests, reads) that had to wait for, or were refused for lack of, pipeline
    /// capacity: each counts once, however long it waits.
    public let backpressure: Counter

    /// The metrics of `input`, made by `factory`.
    public init(input: IngestInput, factory: any MetricsFactory = MetricsSystem.factory) {
        let dimensions = [("input", input.rawValue)]
        records = Counter(label: "vigil_input_records_total", dimensions: dimensions, factory: factory)
        bytes = Counter(label: "vigil_input_bytes_total", dimensions: dimensions, factory: factory)
        parseFailures = Counter(label: "vigil_input_parse_failures_total", dimensions: dimensions, factory: factory)
        dropped = Counter(label: "vigil_input_dropped_total", dimensions: dimensions, factory: factory)
        backpressure = Counter(label: "vigil_input_backpressure_total", dimensions: dimensions, factory: factory)
    }
}
