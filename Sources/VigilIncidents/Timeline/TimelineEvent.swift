/// One entry of an incident's append-only history: a CloudEvents 1.0 event whose `data` is the
/// incident as it was right after the change.
public struct TimelineEvent: Sendable, Hashable {
    /// The event's `id` (a UUID): the idempotency key of every notification about it.
    public var id: String
    /// Its position in the whole timeline (ascending with commit order).
    public var sequence: Int64
    /// The incident it is about (`subject`).
    public var incidentID: String
    /// What happened.
    public var type: IncidentEventType
    /// When, wall time (ns).
    public var time: Int64
    /// Who did it: a token's name, `auto` for the detectors and the quiet period.
    public var actor: String
    /// The CloudEvent as JSON, exactly as stored.
    public var json: String

    /// Creates an event.
    public init(id: String, sequence: Int64, incidentID: String, type: IncidentEventType, time: Int64, actor: String, json: String) {
        self.id = id
        self.sequence = sequence
        self.incidentID = incidentID
        self.type = type
        self.time = time
        self.actor = actor
        self.json = json
    }
}

/// Builds the CloudEvents 1.0 JSON of timeline events (structured mode): `specversion`, `id`,
/// `source` (`vigil://HOSTNAME`), `type` (`com.vigil.incident.<event>.v1`), `subject` (the
/// incident's id), `time`, `datacontenttype`, the extension attribute `actor`, and `data`: the
/// incident snapshot, with `note` for `note_added`.
public struct CloudEventEncoder: Sendable {
    /// `vigil://HOSTNAME`.
    public let source: String

    /// An encoder for events from `hostname`.
    public init(hostname: String) {
        source = "vigil://" + hostname
    }

    /// The JSON of one event.
    public func encode(
        id: String, type: IncidentEventType, time: Int64, actor: String, incident: Incident, note: IncidentNote? = nil
    ) -> String {
        var writer = IncidentJSONWriter()
        writer.begin()
        writer.key("actor", first: true)
        writer.string(actor)
        writer.key("data")
        writer.incident(incident, note: note)
        writer.key("datacontenttype")
        writer.string("application/json")
        writer.key("id")
        writer.string(id)
        writer.key("source")
        writer.string(source)
        writer.key("specversion")
        writer.string("1.0")
        writer.key("subject")
        writer.string(incident.id)
        writer.key("time")
        writer.time(time)
        writer.key("type")
        writer.string(type.cloudEventType)
        writer.end()
        return writer.text
    }
}
