import VigilCore
import VigilIncidents

/// `format = "cloudevents"`: CloudEvents 1.0 in structured mode
/// (`Content-Type: application/cloudevents+json`): the timeline event itself — `id`, `source`
/// (`vigil://HOST`), `type` (`com.vigil.incident.opened.v1`), `subject`, `time`, the extension
/// `actor` — with `data` the incident as the event left it (its `evidence.query` is the
/// `vigil query` command that prints the records) and `dataref` the API URL of the incident.
/// A group is a JSON array of events (`application/cloudevents-batch+json`).
enum CloudEventsFormat {
    static func message(_ items: [NotificationItem], context: NotificationContext) -> WebhookMessage {
        var writer = IncidentJSONWriter()
        if items.count == 1 {
            event(items[0], context: context, into: &writer)
            return WebhookMessage(body: writer.bytes, contentType: "application/cloudevents+json")
        }
        writer.raw("[".utf8)
        for (index, item) in items.enumerated() {
            if index > 0 { writer.raw(",".utf8) }
            event(item, context: context, into: &writer)
        }
        writer.raw("]".utf8)
        return WebhookMessage(body: writer.bytes, contentType: "application/cloudevents-batch+json")
    }

    private static func event(_ item: NotificationItem, context: NotificationContext, into writer: inout IncidentJSONWriter) {
        writer.begin()
        writer.key("actor", first: true)
        writer.string(item.actor)
        writer.key("data")
        writer.incident(item.incident)
        writer.key("datacontenttype")
        writer.string("application/json")
        writer.key("dataref")
        writer.string(context.incidentURL(item.incident))
        writer.key("id")
        // A timeline event keeps its id in every notification about it; reminders and tests
        // have none, so the delivery's id stands in.
        writer.string(item.eventID ?? item.deliveryID)
        writer.key("source")
        writer.string("vigil://" + context.hostname)
        writer.key("specversion")
        writer.string("1.0")
        writer.key("subject")
        writer.string(item.incident.id)
        writer.key("time")
        writer.time(item.time)
        writer.key("type")
        writer.string(item.event.cloudEventType)
        writer.end()
    }
}
