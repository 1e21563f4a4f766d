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
    /// Requests or reads that had to wait for, or were refused for lack of, pipeline capacity.
    public let backpressure: Counter

    /// The metrics of `input`.
    public init(input: IngestInput) {
        let dimensions = [("input", input.rawValue)]
        records = Counter(label: "vigil_input_records_total", dimensions: dimensions)
        bytes = Counter(label: "vigil_input_bytes_total", dimensions: dimensions)
        parseFailures = Counter(label: "vigil_input_parse_failures_total", dimensions: dimensions)
        dropped = Counter(label: "vigil_input_dropped_total", dimensions: dimensions)
        backpressure = Counter(label: "vigil_input_backpressure_total", dimensions: dimensions)
    }
}
