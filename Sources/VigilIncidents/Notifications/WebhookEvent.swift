/// What a notification is about: a notifying timeline event, a reminder, or a test.
public enum WebhookEvent: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case opened
    case reopened
    case severityChanged = "severity_changed"
    case acknowledged
    case resolved
    case merged
    /// `repeat_interval` passed and the incident is still firing and unacknowledged.
    case repeated
    /// `vigil webhooks test`.
    case test

    /// The notification for a timeline event, if that event notifies.
    public init?(_ type: IncidentEventType) {
        switch type {
        case .opened: self = .opened
        case .reopened: self = .reopened
        case .severityChanged: self = .severityChanged
        case .acknowledged: self = .acknowledged
        case .resolved: self = .resolved
        case .merged: self = .merged
        case .updated, .noteAdded: return nil
        }
    }

    /// The CloudEvents `type`: `com.vigil.incident.opened.v1`.
    public var cloudEventType: String { "com.vigil.incident.\(rawValue).v1" }

    public var description: String { rawValue }
}
