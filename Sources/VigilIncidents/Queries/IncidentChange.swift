/// One event a write recorded: what happened, to which incident (as it was right after), by whom.
public struct IncidentChange: Sendable, Hashable {
    /// What happened.
    public var type: IncidentEventType
    /// The incident right after the change.
    public var incident: Incident
    /// Who did it (`auto` for signals).
    public var actor: String
    /// The timeline event's id.
    public var eventID: String

    /// Creates a change.
    public init(type: IncidentEventType, incident: Incident, actor: String, eventID: String) {
        self.type = type
        self.incident = incident
        self.actor = actor
        self.eventID = eventID
    }
}
