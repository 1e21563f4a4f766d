import VigilCore

/// What a detector reports: a condition on one group key (stream) that started or ended.
///
/// The incident layer keys incidents by `fingerprint` (a stable hash of `name` and `key`), so a
/// signal for an open incident updates it rather than opening another. All times are event times in
/// nanoseconds since the epoch.
public struct Signal: Sendable, Hashable {
    /// The detector that produced the signal.
    public var detector: DetectorKind
    /// The rule name, or the detector's signal name: `rate.spike`, `rate.drop`, `error_ratio`,
    /// `new_template`, `template_burst`.
    public var name: String
    /// The group key: ordered group-by names and values (for templates: `service` and `template`).
    public var key: [GroupValue]
    /// `Signal.fingerprint(name:key:)` of `name` and `key`: 16 hex digits of FNV-1a 64.
    public var fingerprint: String
    /// The incident severity configured for the rule or detector.
    public var severity: Severity
    /// A one-line human title (`api: 6 errors in 60s`).
    public var title: String
    /// Start of the event-time range the signal covers.
    public var start: Int64
    /// End of the event-time range the signal covers (for a resolved signal: when it ended).
    public var end: Int64
    /// Records counted: in the window for a rule, in the bucket for rate and error ratio, the
    /// template's occurrences for templates; for a resolved signal, records over the whole episode.
    public var count: Int
    /// How far from normal: for rules the count over the threshold (`count / (threshold + 1)`),
    /// for statistical detectors the deviation in baseline scale units, for templates the count over
    /// the minimum.
    public var score: Double
    /// Firing or resolved.
    public var status: SignalStatus
    /// Up to `evidence` (5 by default) records that caused the signal; empty for resolved signals
    /// and drops.
    public var evidence: [Evidence]
    /// For the statistical detectors (rate, error ratio): what was seen against what was expected.
    public var explanation: SignalExplanation?

    /// Creates a signal; `fingerprint` is computed from `name` and `key`.
    public init(
        detector: DetectorKind, name: String, key: [GroupValue], severity: Severity, title: String,
        start: Int64, end: Int64, count: Int, score: Double, status: SignalStatus, evidence: [Evidence] = [],
        explanation: SignalExplanation? = nil
    ) {
        self.detector = detector
        self.name = name
        self.key = key
        self.fingerprint = Signal.fingerprint(name: name, key: key)
        self.severity = severity
        self.title = title
        self.start = start
        self.end = end
        self.count = count
        self.score = score
        self.status = status
        self.evidence = evidence
        self.explanation = explanation
    }
}
