import VigilCore
import VigilDetect
import VigilIncidents
import VigilSettings

/// One HTTP request body for an endpoint, before signing.
public struct WebhookMessage: Sendable, Hashable {
    /// The body.
    public var body: [UInt8]
    /// Its `Content-Type`.
    public var contentType: String

    /// Creates a message.
    public init(body: [UInt8], contentType: String) {
        self.body = body
        self.contentType = contentType
    }
}

/// What every format needs to know besides the incidents: who sends, and where the API that
/// shows an incident and its evidence can be reached.
public struct NotificationContext: Sendable, Hashable {
    /// This host's name (the CloudEvents `source`, PagerDuty's `source` when the incident has no
    /// host label).
    public var hostname: String
    /// The management API's base URL as receivers should use it, without a trailing `/`.
    public var externalURL: String

    /// Creates a context.
    public init(hostname: String, externalURL: String) {
        self.hostname = hostname
        self.externalURL = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
    }

    /// `GET /v1/incidents/INC-42` on the API.
    public func incidentURL(_ incident: Incident) -> String { "\(externalURL)/v1/incidents/\(incident.reference)" }

    /// `GET /v1/incidents/INC-42/logs`: the evidence records.
    public func evidenceURL(_ incident: Incident) -> String { "\(externalURL)/v1/incidents/\(incident.reference)/logs" }
}

/// One notification in a message: the delivery's event about an incident as the event left it.
public struct NotificationItem: Sendable, Hashable {
    /// The delivery's `webhook-id` (also the CloudEvents `id` of reminders and tests).
    public var deliveryID: String
    /// The timeline event's id, if the notification carries one.
    public var eventID: String?
    /// What happened.
    public var event: WebhookEvent
    /// The incident right after it.
    public var incident: Incident
    /// When (wall time, ns).
    public var time: Int64
    /// Who did it.
    public var actor: String

    /// Creates an item.
    public init(deliveryID: String, eventID: String?, event: WebhookEvent, incident: Incident, time: Int64, actor: String) {
        self.deliveryID = deliveryID
        self.eventID = eventID
        self.event = event
        self.incident = incident
        self.time = time
        self.actor = actor
    }

    /// The item a due delivery carries.
    public init(_ due: DueDelivery) {
        self.init(
            deliveryID: due.delivery.id, eventID: due.delivery.eventID, event: due.delivery.event, incident: due.incident,
            time: due.time, actor: due.actor)
    }

    /// Whether this says the incident is over (resolved, or merged into another).
    var endsIncident: Bool { event == .resolved || event == .merged }
}

/// Builds an endpoint's request body in its format.
public enum WebhookFormatter {
    /// The message for `items` (one, or several when `group_wait` grouped them; formats without
    /// grouping use the first).
    public static func message(
        _ items: [NotificationItem], for endpoint: WebhookEndpoint, context: NotificationContext
    ) -> WebhookMessage {
        precondition(!items.isEmpty, "a message needs an item")
        switch endpoint.format {
        case .cloudevents: return CloudEventsFormat.message(items, context: context)
        case .slack: return SlackFormat.message(items, context: context)
        case .pagerduty: return PagerDutyFormat.message(items[0], routingKey: endpoint.routingKey ?? "", context: context)
        case .alertmanager: return AlertmanagerFormat.message(items, receiver: endpoint.name, context: context)
        }
    }

    /// Whether the format puts several incidents in one message (`group_wait`).
    public static func groups(_ format: WebhookEndpoint.Format) -> Bool {
        format != .pagerduty
    }

    /// A sample incident for `vigil webhooks test`.
    public static func sampleIncident(hostname: String, now: Int64) -> Incident {
        Incident(
            id: "00000000-0000-4000-8000-000000000000", number: 0, title: "Vigil test notification: ignore me",
            severity: .info, status: .firing, fingerprint: "vigil-test", detector: "test", name: "test",
            labels: [GroupValue(name: "service", value: "vigil"), GroupValue(name: "host", value: hostname)],
            firstSeen: now, lastSeen: now, openedAt: now, signalCount: 1,
            evidence: IncidentEvidence(since: now, until: now, services: ["vigil"], hosts: [], records: []), updatedAt: now)
    }
}
