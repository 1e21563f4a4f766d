import Foundation
import Testing
import VigilCore
import VigilDetect
import VigilIncidents
import VigilIncidentsTestSupport
import VigilSettings
@testable import VigilNotify

/// The payloads checked field by field against the providers' published shapes: Slack's Block Kit
/// limits, PagerDuty's Events API v2, Alertmanager's webhook v4, CloudEvents 1.0.
@Suite struct WebhookFormatTests {
    let context = NotificationContext(hostname: "web1", externalURL: "http://vigil.example:8081/")

    func item(_ event: WebhookEvent = .opened, service: String = "api", number: Int = 3) -> NotificationItem {
        var incident = Signals.incident(service, number: number)
        incident.evidence = Signals.rule(service, records: 3).evidence
        if event == .resolved {
            incident.status = .resolved
            incident.resolvedAt = incident.openedAt + 60 * Signals.second
            incident.resolvedBy = "auto"
        }
        return NotificationItem(deliveryID: "msg_1", eventID: "ev-\(number)", event: event, incident: incident, time: Signals.start, actor: "auto")
    }

    func json(_ items: [NotificationItem], _ format: WebhookEndpoint.Format) throws -> (Any, String) {
        var endpoint = WebhookEndpoint(name: "ops", url: "http://x/", format: format)
        endpoint.routingKey = "R0123456789ABCDEF0123456789ABCDE"
        let message = WebhookFormatter.message(items, for: endpoint, context: context)
        return (try JSONSerialization.jsonObject(with: Data(message.body)), message.contentType)
    }

    @Test func cloudEventsCarryTheRequiredAttributesAndTheIncident() throws {
        let (body, type) = try json([item()], .cloudevents)
        #expect(type == "application/cloudevents+json")
        let event = try #require(body as? [String: Any])
        #expect(event["specversion"] as? String == "1.0")
        #expect(event["id"] as? String == "ev-3")
        #expect(event["source"] as? String == "vigil://web1")
        #expect(event["type"] as? String == "com.vigil.incident.opened.v1")
        #expect(event["subject"] as? String == "id-3")
        #expect(event["datacontenttype"] as? String == "application/json")
        #expect(event["dataref"] as? String == "http://vigil.example:8081/v1/incidents/INC-3")
        #expect(TimestampParser.parseRFC3339(event["time"] as? String ?? "") == Signals.start)
        // Extension attribute names: lower-case letters and digits, at most 20 characters.
        for key in event.keys { #expect(key.count <= 20 && key.allSatisfy { $0.isLowercase || $0.isNumber }) }
        let data = try #require(event["data"] as? [String: Any])
        #expect(data["reference"] as? String == "INC-3")
        let evidence = try #require(data["evidence"] as? [String: Any])
        #expect((evidence["query"] as? String)?.hasPrefix("vigil query --since ") == true)
        let (batch, batchType) = try json([item(number: 3), item(service: "web", number: 4)], .cloudevents)
        #expect(batchType == "application/cloudevents-batch+json")
        #expect((batch as? [[String: Any]])?.count == 2)
    }

    @Test func slackMessagesStayWithinBlockKitsLimits() throws {
        var long = item()
        long.incident.title = String(repeating: "very long title ", count: 30)
        long.incident.evidence.records = (0..<5).map {
            EvidenceRecord(time: Signals.start, host: "h", service: "api", severity: .err, message: String(repeating: "<x>&", count: 400) + "\($0)")
        }
        for items in [[long], (1...14).map { item(service: "s\($0)", number: $0) }] {
            let (body, type) = try json(items, .slack)
            #expect(type == "application/json")
            let message = try #require(body as? [String: Any])
            let text = try #require(message["text"] as? String)
            #expect(!text.isEmpty)
            let blocks = try #require(message["blocks"] as? [[String: Any]])
            #expect(blocks.count <= 50)
            for block in blocks {
                let kind = try #require(block["type"] as? String)
                #expect(["header", "section", "divider", "context"].contains(kind))
                if kind == "header" {
                    let header = try #require(block["text"] as? [String: Any])
                    #expect(header["type"] as? String == "plain_text")
                    #expect((header["text"] as? String)?.count ?? 999 <= 150)
                }
                if kind == "section", let fields = block["fields"] as? [[String: Any]] {
                    #expect(fields.count <= 10)
                    for field in fields { #expect((field["text"] as? String)?.count ?? 9999 <= 2000) }
                }
                if kind == "section", let sectionText = block["text"] as? [String: Any] {
                    let code = try #require(sectionText["text"] as? String)
                    #expect(code.count <= 3000)
                    // Slack's control characters are escaped in mrkdwn.
                    #expect(!code.contains("<x>"))
                    if items.count == 1 { #expect(code.contains("&lt;x&gt;&amp;")) }
                }
                if kind == "context" { #expect((block["elements"] as? [Any])?.count ?? 99 <= 10) }
            }
        }
        let (single, _) = try json([item()], .slack)
        #expect((single as? [String: Any])?["text"] as? String == "[FIRING] INC-3 error · api: api: 6 errors in 1m")
    }

    @Test func pagerDutyEventsFollowEventsAPIv2() throws {
        let (body, _) = try json([item()], .pagerduty)
        let event = try #require(body as? [String: Any])
        #expect(event["routing_key"] as? String == "R0123456789ABCDEF0123456789ABCDE")
        #expect(event["event_action"] as? String == "trigger")
        #expect(event["dedup_key"] as? String == item().incident.fingerprint)
        #expect((event["dedup_key"] as? String)?.count ?? 999 <= 255)
        let payload = try #require(event["payload"] as? [String: Any])
        #expect(payload["summary"] as? String == "INC-3 api: 6 errors in 1m")
        #expect(payload["source"] as? String == "web1")
        #expect(payload["severity"] as? String == "error")
        #expect(payload["component"] as? String == "api")
        #expect(payload["class"] as? String == "rule")
        #expect(payload["group"] as? String == "errors")
        #expect(TimestampParser.parseRFC3339(payload["timestamp"] as? String ?? "") != nil)
        let details = try #require(payload["custom_details"] as? [String: Any])
        #expect(details["signal_count"] as? Int == 1)
        #expect((details["evidence"] as? [String])?.count == 3)
        #expect(((event["links"] as? [[String: Any]])?.first?["href"] as? String) == "http://vigil.example:8081/v1/incidents/INC-3")
        #expect(details["why"] == nil, "a rule's incident has no explanation")

        // A statistical detector's incident says why, in PagerDuty, Alertmanager and Slack alike.
        var explained = item()
        explained.incident.evidence.explanation = SignalExplanation(
            measure: "records per 10s", observed: 412, expected: 35, lower: 12, upper: 70, parameters: [])
        let why = "412 records per 10s, expected 35 (normal 12–70)"
        let (pagerDuty, _) = try json([explained], .pagerduty)
        let pagerDutyDetails = ((pagerDuty as? [String: Any])?["payload"] as? [String: Any])?["custom_details"] as? [String: Any]
        #expect(pagerDutyDetails?["why"] as? String == why)
        let (alertmanager, _) = try json([explained], .alertmanager)
        let annotations = (((alertmanager as? [String: Any])?["alerts"] as? [[String: Any]])?.first?["annotations"] as? [String: Any])
        #expect(annotations?["why"] as? String == why)
        let (slack, _) = try json([explained], .slack)
        #expect(String(describing: slack).contains("*Why*: \(why)"))

        var long = item()
        long.incident.title = String(repeating: "x", count: 5000)
        let (longBody, _) = try json([long], .pagerduty)
        #expect((((longBody as? [String: Any])?["payload"] as? [String: Any])?["summary"] as? String)?.count == 1024)

        for (event, action) in [(WebhookEvent.acknowledged, "acknowledge"), (.resolved, "resolve"), (.merged, "resolve"), (.reopened, "trigger"), (.repeated, "trigger")] {
            let (answer, _) = try json([item(event)], .pagerduty)
            #expect((answer as? [String: Any])?["event_action"] as? String == action)
        }
    }

    @Test func alertmanagerPayloadsAreVersion4() throws {
        let (body, _) = try json([item(number: 3), item(service: "web", number: 4)], .alertmanager)
        let payload = try #require(body as? [String: Any])
        #expect(payload["version"] as? String == "4")
        #expect(payload["status"] as? String == "firing")
        #expect(payload["receiver"] as? String == "ops")
        #expect(payload["externalURL"] as? String == "http://vigil.example:8081")
        #expect(payload["truncatedAlerts"] as? Int == 0)
        #expect(payload["groupKey"] is String)
        #expect(payload["groupLabels"] as? [String: String] == ["alertname": "errors"])
        let common = try #require(payload["commonLabels"] as? [String: String])
        #expect(common["alertname"] == "errors" && common["service"] == nil)
        #expect(payload["commonAnnotations"] is [String: String])
        let alerts = try #require(payload["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        for alert in alerts {
            #expect(alert["status"] as? String == "firing")
            let labels = try #require(alert["labels"] as? [String: String])
            #expect(labels["alertname"] == "errors" && labels["severity"] == "error" && labels["service"] != nil)
            #expect((alert["annotations"] as? [String: String])?["summary"] != nil)
            #expect(TimestampParser.parseRFC3339(alert["startsAt"] as? String ?? "") != nil)
            #expect(alert["endsAt"] as? String == "0001-01-01T00:00:00Z")
            #expect((alert["generatorURL"] as? String)?.hasPrefix("http://vigil.example:8081/v1/incidents/INC-") == true)
            #expect((alert["fingerprint"] as? String)?.count == 16)
        }
        let (resolved, _) = try json([item(.resolved)], .alertmanager)
        let resolvedPayload = try #require(resolved as? [String: Any])
        #expect(resolvedPayload["status"] as? String == "resolved")
        let alert = try #require((resolvedPayload["alerts"] as? [[String: Any]])?.first)
        #expect(TimestampParser.parseRFC3339(alert["endsAt"] as? String ?? "") == item(.resolved).incident.resolvedAt)
    }
}
