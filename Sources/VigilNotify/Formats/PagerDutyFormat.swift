import VigilCore
import VigilIncidents

/// `format = "pagerduty"`: a PagerDuty Events API v2 event (`POST /v2/enqueue`). The incident's
/// fingerprint is the `dedup_key`, so PagerDuty folds repeats, acknowledgements and resolutions
/// into the alert the first trigger opened. Opened, reopened, raised severity and reminders
/// trigger; acknowledged acknowledges; resolved and merged resolve.
enum PagerDutyFormat {
    static func message(_ item: NotificationItem, routingKey: String, context: NotificationContext) -> WebhookMessage {
        let incident = item.incident
        var event: [String: Any] = [
            "routing_key": routingKey, "event_action": action(item.event), "dedup_key": incident.fingerprint,
        ]
        if action(item.event) == "trigger" {
            var details: [String: Any] = [
                "incident": incident.reference, "status": incident.status.rawValue, "signal_count": incident.signalCount,
                "flap_count": incident.flapCount, "first_seen": TimeFormatter.rfc3339(incident.firstSeen, fractionDigits: 3),
                "last_seen": TimeFormatter.rfc3339(incident.lastSeen, fractionDigits: 3), "rule": incident.name,
                "evidence_query": incident.evidence.queryCommand,
                "evidence": incident.evidence.records.suffix(5).map {
                    "\(TimeFormatter.rfc3339($0.time, fractionDigits: 3)) \($0.host) \($0.service): \($0.message)"
                },
            ]
            for label in incident.labels { details["label_\(label.name)"] = label.value }
            if let explanation = incident.evidence.explanation { details["why"] = explanation.summary }
            var payload: [String: Any] = [
                "summary": String("\(incident.reference) \(incident.title)".prefix(1024)),
                "source": incident.label("host") ?? context.hostname, "severity": incident.severity.rawValue,
                "timestamp": TimeFormatter.rfc3339(incident.firstSeen, fractionDigits: 3),
                "class": incident.detector, "group": incident.name, "custom_details": details,
            ]
            if let service = incident.label("service") { payload["component"] = service }
            event["payload"] = payload
            event["client"] = "Vigil"
            event["client_url"] = context.incidentURL(incident)
            event["links"] = [["href": context.incidentURL(incident), "text": "\(incident.reference) in Vigil"]]
        }
        return WebhookMessage(body: JSONText.encode(event), contentType: "application/json")
    }

    static func action(_ event: WebhookEvent) -> String {
        switch event {
        case .opened, .reopened, .severityChanged, .repeated, .test: "trigger"
        case .acknowledged: "acknowledge"
        case .resolved, .merged: "resolve"
        }
    }
}
