/// What happened to an incident: the `type` of its timeline event
/// (`com.vigil.incident.<rawValue>.v1`).
public enum IncidentEventType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// A signal with a new fingerprint opened it.
    case opened
    /// A repeat signal (count, last seen, evidence), an assignment, or a merge into it.
    case updated
    /// A signal raised its severity.
    case severityChanged = "severity_changed"
    /// Someone took it.
    case acknowledged
    /// The detector's resolved signal, the quiet period, or someone ended it.
    case resolved
    /// Its fingerprint fired again within the reopen window (a flap), or someone reopened it.
    case reopened
    /// It was folded into another incident.
    case merged
    /// Someone added a note.
    case noteAdded = "note_added"

    /// The CloudEvents `type`: `com.vigil.incident.opened.v1`.
    public var cloudEventType: String { "com.vigil.incident.\(rawValue).v1" }

    /// Whether the event is worth telling people about: it gets an outbox row, which the webhooks
    /// deliver. Repeats, assignments and notes only go to the timeline.
    public var notifies: Bool {
        switch self {
        case .opened, .severityChanged, .acknowledged, .resolved, .reopened, .merged: true
        case .updated, .noteAdded: false
        }
    }

    /// The event type named by a CloudEvents `type` or by its short name (`acknowledged`).
    public init?(name: String) {
        if let short = IncidentEventType(rawValue: name) {
            self = short
            return
        }
        guard name.hasPrefix("com.vigil.incident."), name.hasSuffix(".v1") else { return nil }
        self.init(rawValue: String(name.dropFirst("com.vigil.incident.".count).dropLast(3)))
    }

    public var description: String { rawValue }
}
