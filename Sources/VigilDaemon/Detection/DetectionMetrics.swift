import Metrics
import VigilDetect

/// The detectors' Prometheus metrics: signals by detector and status, and the engine's counters.
final class DetectionMetrics {
    private var signals: [String: Counter] = [:]
    private let late = Counter(label: "vigil_detect_late_records_total")
    /// Records stamped further ahead of the host's clock than `max_ahead`, left out of detection.
    let future = Counter(label: "vigil_detect_future_records_total")
    /// Signals left out of incidents because the queue to the incident service was full.
    let droppedIncidentSignals = Counter(label: "vigil_incident_signals_dropped_total")
    private let evictedStreams = Counter(label: "vigil_detect_evicted_streams_total")
    private let evictedTemplates = Counter(label: "vigil_detect_evicted_templates_total")
    private let streams = Gauge(label: "vigil_detect_streams")
    private let templates = Gauge(label: "vigil_detect_templates")
    private let buffered = Gauge(label: "vigil_detect_buffered_records")
    private var last = DetectionCounters()

    /// Counts a signal.
    func signal(_ signal: Signal) {
        let key = signal.detector.rawValue + "/" + signal.status.rawValue
        if signals[key] == nil {
            signals[key] = Counter(
                label: "vigil_detect_signals_total",
                dimensions: [("detector", signal.detector.rawValue), ("status", signal.status.rawValue)])
        }
        signals[key]!.increment()
    }

    /// Publishes the engine's counters (the cumulative ones as increments).
    func update(_ counters: DetectionCounters) {
        late.increment(by: counters.lateRecords - last.lateRecords)
        evictedStreams.increment(by: counters.evictedStreams - last.evictedStreams)
        evictedTemplates.increment(by: counters.evictedTemplates - last.evictedTemplates)
        streams.record(counters.streams)
        templates.record(counters.templates)
        buffered.record(counters.buffered)
        last = counters
    }
}
