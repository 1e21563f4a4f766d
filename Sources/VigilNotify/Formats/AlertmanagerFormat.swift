import Crypto
import VigilCore
import VigilIncidents

/// `format = "alertmanager"`: Alertmanager's webhook payload, `"version": "4"`, so receivers
/// written for Alertmanager (alert routers, chat bridges, ticketing hooks) take Vigil's incidents
/// unchanged. Each incident is an alert: `labels` are `alertname` (the rule or signal name),
/// `severity`, `detector`, `incident` and the incident's group labels; `annotations` carry the
/// title, the evidence query and who acknowledged it. `status` is `resolved` only when every alert
/// in the message is.
enum AlertmanagerFormat {
    /// Alertmanager's zero time, which its `endsAt` carries while an alert fires.
    static let zeroTime = "0001-01-01T00:00:00Z"

    static func message(_ items: [NotificationItem], receiver: String, context: NotificationContext) -> WebhookMessage {
        let alerts = items.map { alert($0, context: context) }
        let labels = alerts.map { $0["labels"] as? [String: String] ?? [:] }
        let annotations = alerts.map { $0["annotations"] as? [String: String] ?? [:] }
        let common = intersection(labels)
        let groupLabels = common["alertname"].map { ["alertname": $0] } ?? [:]
        let status = items.allSatisfy(\.endsIncident) ? "resolved" : "firing"
        let groupKey = "{}/{receiver=\"\(receiver)\"}:{" + groupLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
        let payload: [String: Any] = [
            "version": "4", "groupKey": groupKey, "truncatedAlerts": 0, "status": status, "receiver": receiver,
            "groupLabels": groupLabels, "commonLabels": common, "commonAnnotations": intersection(annotations),
            "externalURL": context.externalURL, "alerts": alerts,
        ]
        return WebhookMessage(body: JSONText.encode(payload), contentType: "application/json")
    }

    private static func alert(_ item: NotificationItem, context: NotificationContext) -> [String: Any] {
        let incident = item.incident
        var labels = ["alertname": incident.name, "severity": incident.severity.rawValue, "detector": incident.detector, "incident": incident.reference]
        for label in incident.labels where labels[label.name] == nil { labels[label.name] = label.value }
        var annotations = [
            "summary": incident.title, "description": "\(incident.reference): \(incident.signalCount) signals since \(TimeFormatter.rfc3339(incident.firstSeen, fractionDigits: 0))",
            "evidence_query": incident.evidence.queryCommand, "vigil_event": item.event.rawValue,
        ]
        if let by = incident.acknowledgedBy { annotations["acknowledged_by"] = by }
        if let explanation = incident.evidence.explanation { annotations["why"] = explanation.summary }
        let ended = item.endsIncident ? (incident.resolvedAt ?? incident.updatedAt) : nil
        return [
            "status": item.endsIncident ? "resolved" : "firing", "labels": labels, "annotations": annotations,
            "startsAt": TimeFormatter.rfc3339(incident.firstSeen, fractionDigits: 9),
            "endsAt": ended.map { TimeFormatter.rfc3339($0, fractionDigits: 9) } ?? zeroTime,
            "generatorURL": context.incidentURL(incident), "fingerprint": fingerprint(incident.fingerprint),
        ]
    }

    /// 16 hex digits, as Alertmanager's fingerprints are: the start of the SHA-256 of ours.
    static func fingerprint(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    private static func intersection(_ maps: [[String: String]]) -> [String: String] {
        guard var common = maps.first else { return [:] }
        for map in maps.dropFirst() { common = common.filter { map[$0.key] == $0.value } }
        return common
    }
}
