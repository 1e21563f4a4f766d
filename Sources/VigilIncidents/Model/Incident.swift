import VigilCore
import VigilDetect

/// One thing to act on: every signal with the same fingerprint, from the first until it is
/// resolved (and again if it flaps back within the reopen window), with who did what and the
/// records on disk that caused it.
///
/// Event times (`firstSeen`, `lastSeen`) come from the records; wall times (`openedAt`,
/// `acknowledgedAt`, `resolvedAt`, `updatedAt`) from this host's clock when the change was
/// committed. All are nanoseconds since the epoch; JSON carries them as RFC 3339 text.
public struct Incident: Sendable, Hashable {
    /// A UUID, lower-case; stable for the incident's life and in every event about it.
    public var id: String
    /// The human number: `INC-<number>`, monotonic, never reused.
    public var number: Int
    /// A one-line title, from the first signal.
    public var title: String
    /// The highest severity any of its signals had.
    public var severity: IncidentSeverity
    /// Where it is in its lifecycle.
    public var status: IncidentStatus
    /// The fingerprint of the signals that opened it (others may route here after merges).
    public var fingerprint: String
    /// The detector: `rule`, `rate`, `error_ratio`, `new_template`, or `events` (the Events API).
    public var detector: String
    /// The rule name or the detector's signal name (`errors`, `rate.spike`…).
    public var name: String
    /// The group key of the signals (`service=api`).
    public var labels: [GroupValue]
    /// Event time of the earliest record among its signals.
    public var firstSeen: Int64
    /// Event time of the latest record among its signals.
    public var lastSeen: Int64
    /// When it was opened.
    public var openedAt: Int64
    /// When it was first acknowledged (kept through a reopen: MTTA counts the first one).
    public var acknowledgedAt: Int64?
    /// Who first acknowledged it: a token's name, or `auto`.
    public var acknowledgedBy: String?
    /// When it was last resolved; cleared by a reopen.
    public var resolvedAt: Int64?
    /// Who resolved it: a token's name, or `auto` (the detector, or the quiet period).
    public var resolvedBy: String?
    /// Signals received (a merge adds the merged incident's).
    public var signalCount: Int
    /// Times it reopened because its fingerprint fired again within the reopen window.
    public var flapCount: Int
    /// Who it is assigned to, if anyone.
    public var assignee: String?
    /// The incident it was merged into (status `merged`).
    public var mergedInto: String?
    /// Where the records that caused it are, and a few of them.
    public var evidence: IncidentEvidence
    /// When the row last changed.
    public var updatedAt: Int64

    /// `INC-<number>`.
    public var reference: String { "INC-\(number)" }

    /// Creates an incident.
    public init(
        id: String, number: Int, title: String, severity: IncidentSeverity, status: IncidentStatus,
        fingerprint: String, detector: String, name: String, labels: [GroupValue], firstSeen: Int64,
        lastSeen: Int64, openedAt: Int64, acknowledgedAt: Int64? = nil, acknowledgedBy: String? = nil,
        resolvedAt: Int64? = nil, resolvedBy: String? = nil, signalCount: Int, flapCount: Int = 0,
        assignee: String? = nil, mergedInto: String? = nil, evidence: IncidentEvidence, updatedAt: Int64
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.severity = severity
        self.status = status
        self.fingerprint = fingerprint
        self.detector = detector
        self.name = name
        self.labels = labels
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.openedAt = openedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.signalCount = signalCount
        self.flapCount = flapCount
        self.assignee = assignee
        self.mergedInto = mergedInto
        self.evidence = evidence
        self.updatedAt = updatedAt
    }

    /// A label's value (`service`, `host`…), if the group key has it.
    public func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }
}
