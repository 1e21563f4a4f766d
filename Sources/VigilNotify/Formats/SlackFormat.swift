import Foundation
import VigilCore
import VigilIncidents

/// `format = "slack"`: a Slack incoming-webhook message. `text` is the fallback notifications and
/// screen readers use; `blocks` show, per incident, a header, the severity, service, status, count
/// and first/last seen, a few evidence lines in a code block, and the `vigil query` command with a
/// link to the API. A group shows up to ten incidents.
enum SlackFormat {
    static let maximumIncidents = 10

    static func message(_ items: [NotificationItem], context: NotificationContext) -> WebhookMessage {
        var blocks: [[String: Any]] = []
        for item in items.prefix(maximumIncidents) {
            if !blocks.isEmpty { blocks.append(["type": "divider"]) }
            blocks += self.blocks(item, context: context)
        }
        if items.count > maximumIncidents {
            blocks.append(contextBlock(["…and \(items.count - maximumIncidents) more incidents"]))
        }
        let text =
            items.count == 1
            ? summary(items[0])
            : "\(items.count) incidents: " + items.prefix(maximumIncidents).map { summary($0) }.joined(separator: "; ")
        return WebhookMessage(body: JSONText.encode(["text": text, "blocks": blocks]), contentType: "application/json")
    }

    /// `[FIRING] INC-3 error · api: more than 5 errors in 60s`.
    static func summary(_ item: NotificationItem) -> String {
        let service = item.incident.label("service").map { " · \($0)" } ?? ""
        return "[\(heading(item.event))] \(item.incident.reference) \(item.incident.severity)\(service): \(item.incident.title)"
    }

    private static func heading(_ event: WebhookEvent) -> String {
        switch event {
        case .opened: "FIRING"
        case .reopened: "REOPENED"
        case .severityChanged: "SEVERITY UP"
        case .acknowledged: "ACKNOWLEDGED"
        case .resolved: "RESOLVED"
        case .merged: "MERGED"
        case .repeated: "STILL FIRING"
        case .test: "TEST"
        }
    }

    private static func blocks(_ item: NotificationItem, context: NotificationContext) -> [[String: Any]] {
        let incident = item.incident
        let header = "\(heading(item.event)): \(incident.reference) \(incident.title)"
        var fields = [
            "*Severity*\n\(incident.severity)", "*Status*\n\(incident.status)",
            "*Service*\n\(escape(incident.label("service") ?? "—"))", "*Signals*\n\(incident.signalCount)",
            "*First seen*\n\(TimeFormatter.rfc3339(incident.firstSeen, fractionDigits: 0))",
            "*Last seen*\n\(TimeFormatter.rfc3339(incident.lastSeen, fractionDigits: 0))",
        ]
        if let by = incident.acknowledgedBy, item.event == .acknowledged { fields.append("*Acknowledged by*\n\(escape(by))") }
        if let by = incident.resolvedBy, item.event == .resolved { fields.append("*Resolved by*\n\(escape(by))") }
        var blocks: [[String: Any]] = [
            ["type": "header", "text": ["type": "plain_text", "text": String(header.prefix(150))]],
            ["type": "section", "fields": fields.prefix(10).map { ["type": "mrkdwn", "text": $0] }],
        ]
        if let explanation = incident.evidence.explanation {
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": "*Why*: \(escape(explanation.summary))"]])
        }
        let lines = incident.evidence.records.suffix(5).map {
            "\(TimeFormatter.rfc3339($0.time, fractionDigits: 3)) \($0.host) \($0.service): \($0.message)"
        }
        if !lines.isEmpty {
            // Slack's section text holds 3,000 characters; the fence and ellipsis need a few.
            var code = escape(lines.joined(separator: "\n").replacingOccurrences(of: "```", with: "'''"))
            if code.count > 2_900 { code = String(code.prefix(2_900)) + "…" }
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": "```\n\(code)\n```"]])
        }
        blocks.append(
            contextBlock([
                "`\(escape(String(incident.evidence.queryCommand.prefix(1_500))))`",
                "<\(context.incidentURL(incident))|\(incident.reference) in Vigil>",
            ]))
        return blocks
    }

    private static func contextBlock(_ texts: [String]) -> [String: Any] {
        ["type": "context", "elements": texts.map { ["type": "mrkdwn", "text": $0] }]
    }

    /// Slack's three control characters in mrkdwn text.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// JSON text of plain Foundation values, keys sorted, slashes unescaped: the provider formats'
/// one encoder.
enum JSONText {
    static func encode(_ object: Any) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data)
    }
}
