import VigilCore
import VigilDetect

/// What the incident layer needs of a signal: a detector's `Signal`, or an event posted to
/// `POST /v1/events`.
public struct IncidentSignal: Sendable, Hashable {
    /// Signals with the same fingerprint are the same incident.
    public var fingerprint: String
    /// `rule`, `rate`, `error_ratio`, `new_template` or `events`.
    public var detector: String
    /// The rule or signal name.
    public var name: String
    /// The group key.
    public var labels: [GroupValue]
    /// The severity the incident gets (at least).
    public var severity: IncidentSeverity
    /// A one-line title.
    public var title: String
    /// Firing (opens, updates or reopens) or resolved.
    public var status: SignalStatus
    /// The records: their range, a filter and some of them.
    public var evidence: IncidentEvidence

    /// Creates a signal.
    public init(
        fingerprint: String, detector: String, name: String, labels: [GroupValue], severity: IncidentSeverity,
        title: String, status: SignalStatus, evidence: IncidentEvidence
    ) {
        self.fingerprint = fingerprint
        self.detector = detector
        self.name = name
        self.labels = labels
        self.severity = severity
        self.title = title
        self.status = status
        self.evidence = evidence
    }

    /// A detector's signal, with the filter that selects its records again (see
    /// ``IncidentEvidenceFilters``).
    public init(_ signal: Signal, filters: IncidentEvidenceFilters) {
        var evidence = filters.evidence(for: signal)
        evidence.records = signal.evidence.map(EvidenceRecord.init)
        evidence.explanation = signal.explanation
        self.init(
            fingerprint: signal.fingerprint, detector: signal.detector.rawValue, name: signal.name, labels: signal.key,
            severity: IncidentSeverity(signal.severity), title: signal.title, status: signal.status, evidence: evidence)
    }
}
