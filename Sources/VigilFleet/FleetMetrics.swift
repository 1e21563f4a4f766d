import Metrics

/// Fleet mode's metrics, on the Prometheus endpoint.
enum FleetMetrics {
    /// The edge's forwarder.
    struct Forwarder {
        let messages: Counter
        let records: Counter
        let bytes: Counter
        let duplicates: Counter
        let failures: Counter
        let missedSegments: Counter
        let corruptBlocks: Counter
        let pendingBlocks: Gauge
        let connected: Gauge

        init(factory: any MetricsFactory) {
            messages = Counter(label: "vigil_forward_messages_total", factory: factory)
            records = Counter(label: "vigil_forward_records_total", factory: factory)
            bytes = Counter(label: "vigil_forward_bytes_total", factory: factory)
            duplicates = Counter(label: "vigil_forward_duplicates_total", factory: factory)
            failures = Counter(label: "vigil_forward_failures_total", factory: factory)
            missedSegments = Counter(label: "vigil_forward_missed_segments_total", factory: factory)
            corruptBlocks = Counter(label: "vigil_forward_corrupt_blocks_total", factory: factory)
            pendingBlocks = Gauge(label: "vigil_forward_pending_blocks", factory: factory)
            connected = Gauge(label: "vigil_forward_connected", factory: factory)
        }
    }

    /// The central vigild's NATS input.
    struct Input {
        let messages: Counter
        let duplicates: Counter
        let gaps: Counter
        let rejected: Counter
        let connected: Gauge
        let pending: Gauge

        init(factory: any MetricsFactory) {
            messages = Counter(label: "vigil_nats_messages_total", factory: factory)
            duplicates = Counter(label: "vigil_nats_duplicates_total", factory: factory)
            gaps = Counter(label: "vigil_nats_sequence_gaps_total", factory: factory)
            rejected = Counter(label: "vigil_nats_rejected_total", factory: factory)
            connected = Gauge(label: "vigil_nats_connected", factory: factory)
            pending = Gauge(label: "vigil_nats_pending_messages", factory: factory)
        }
    }
}
