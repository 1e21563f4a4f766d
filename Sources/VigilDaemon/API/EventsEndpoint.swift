import Foundation
import HTTPTypes
import Hummingbird
import VigilCore
import VigilDetect
import VigilIncidents

/// `POST /v1/events`: the PagerDuty Events API v2 (`enqueue`) on the local incidents, so a cron job
/// or script written for PagerDuty opens, acknowledges and resolves incidents here with a URL change.
///
/// `event_action` is `trigger`, `acknowledge` or `resolve`; `dedup_key` names the incident (a
/// trigger without one gets a new key, returned); a trigger needs `payload.summary`,
/// `payload.source` and `payload.severity` (`critical`, `error`, `warning`, `info`). The token is the
/// bearer token or, as PagerDuty's integration key, `routing_key`. Answers 202
/// `{"status":"success","message":"Event processed","dedup_key":…}` as PagerDuty does, 400 with the
/// reason, 401 without a valid token. An acknowledge or resolve for an incident that is not open
/// in that way changes nothing and is still accepted, as PagerDuty accepts it.
struct EventsEndpoint: Sendable {
    let store: any IncidentStore
    let authenticator: APIAuthenticator
    let maxBodyBytes: Int

    /// The longest summary PagerDuty takes; longer ones are cut.
    static let maximumSummary = 1024

    func handle(_ request: Request, context: DaemonRequestContext) async -> Response {
        do throws(APIError) {
            let body = try await JSONBody.object(request, limit: maxBodyBytes)
            let actor = try authorize(request, body: body)
            let event = try Self.parse(body)
            try await apply(event, by: actor)
            return APIResponse.json(
                ["status": "success", "message": "Event processed", "dedup_key": event.dedupKey], status: .accepted)
        } catch let error where error.status == .badRequest {
            return APIResponse.json(
                InvalidEvent(status: "invalid event", message: "Event object is invalid", errors: [error.reason], error: error.reason),
                status: .badRequest)
        } catch {
            return error.response
        }
    }

    /// The bearer token's name, else `routing_key`'s.
    private func authorize(_ request: Request, body: [String: Any]) throws(APIError) -> String {
        if request.headers[.authorization] != nil || body["routing_key"] == nil {
            guard let secret = APIAuthenticator.bearer(request.headers[.authorization]), let name = authenticator.name(of: secret)
            else { throw .unauthorized }
            return name
        }
        guard let key = body["routing_key"] as? String, let name = authenticator.name(of: key) else { throw .unauthorized }
        return name
    }

    private func apply(_ event: Event, by actor: String) async throws(APIError) {
        let now = WallClock.now()
        do {
            switch event.action {
            case .trigger(let signal, let details):
                let changes = try await store.apply([signal], now: now)
                if let details, let opened = changes.first(where: { $0.type == .opened || $0.type == .reopened }) {
                    _ = try await store.addNote(opened.incident.id, text: "custom_details: \(details)", by: actor, now: now)
                }
            case .acknowledge:
                guard let incident = try await store.incident(fingerprint: event.fingerprint), incident.status == .firing else { return }
                _ = try await store.acknowledge(incident.id, by: actor, now: now)
            case .resolve:
                guard let incident = try await store.incident(fingerprint: event.fingerprint), incident.status.isOpen else { return }
                _ = try await store.resolve(incident.id, by: actor, now: now)
            }
        } catch .transition {
            // Raced with another change to the same incident: the event's intent already holds.
        } catch {
            throw APIError(error)
        }
    }

    // MARK: Parsing

    struct Event {
        enum Action {
            case trigger(IncidentSignal, details: String?)
            case acknowledge
            case resolve
        }
        var action: Action
        var dedupKey: String
        var fingerprint: String
    }

    private struct InvalidEvent: Encodable {
        let status: String
        let message: String
        let errors: [String]
        let error: String
    }

    /// The fingerprint of the incident a `dedup_key` names.
    static func fingerprint(dedupKey: String) -> String {
        Signal.fingerprint(name: "events", key: [GroupValue(name: "dedup_key", value: dedupKey)])
    }

    static func parse(_ body: [String: Any], now: Int64 = WallClock.now()) throws(APIError) -> Event {
        guard let action = body["event_action"] as? String else {
            throw .badRequest("event_action is required: trigger, acknowledge or resolve")
        }
        let dedupKey = body["dedup_key"] as? String
        if body["dedup_key"] != nil, dedupKey == nil { throw .badRequest("dedup_key must be a string") }
        if let key = dedupKey, key.isEmpty || key.utf8.count > 255 {
            throw .badRequest("dedup_key must be 1 to 255 bytes")
        }
        switch action {
        case "trigger":
            break
        case "acknowledge", "resolve":
            guard let key = dedupKey else { throw .badRequest("dedup_key is required to \(action)") }
            return Event(action: action == "resolve" ? .resolve : .acknowledge, dedupKey: key, fingerprint: fingerprint(dedupKey: key))
        default:
            throw .badRequest("event_action must be trigger, acknowledge or resolve, not \"\(action)\"")
        }
        guard let payload = body["payload"] as? [String: Any] else { throw .badRequest("payload is required to trigger") }
        guard let summary = payload["summary"] as? String, !summary.isEmpty else { throw .badRequest("payload.summary is required") }
        guard let source = payload["source"] as? String, !source.isEmpty else { throw .badRequest("payload.source is required") }
        guard let severityName = payload["severity"] as? String, let severity = IncidentSeverity(rawValue: severityName) else {
            throw .badRequest("payload.severity must be critical, error, warning or info")
        }
        var time = now
        if let stamp = payload["timestamp"] {
            guard let text = stamp as? String, let parsed = TimestampParser.parseRFC3339(text) else {
                throw .badRequest("payload.timestamp must be an ISO 8601 time")
            }
            time = parsed
        }
        var details: String?
        if let custom = payload["custom_details"], !(custom is NSNull) {
            guard custom is [String: Any], JSONSerialization.isValidJSONObject([custom]),
                let data = try? JSONSerialization.data(withJSONObject: custom, options: [.sortedKeys, .fragmentsAllowed])
            else { throw .badRequest("payload.custom_details must be a JSON object") }
            details = String(decoding: data, as: UTF8.self)
        }
        let key = dedupKey ?? UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var labels = [GroupValue(name: "dedup_key", value: key), GroupValue(name: "source", value: source)]
        for name in ["component", "group", "class"] {
            guard let value = payload[name] else { continue }
            guard let text = value as? String else { throw .badRequest("payload.\(name) must be a string") }
            if !text.isEmpty { labels.append(GroupValue(name: name, value: text)) }
        }
        let title = summary.count > maximumSummary ? String(summary.prefix(maximumSummary)) : summary
        let signal = IncidentSignal(
            fingerprint: fingerprint(dedupKey: key), detector: "events",
            name: (payload["class"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "event",
            labels: labels, severity: severity, title: title, status: .firing, evidence: IncidentEvidence(since: time, until: time))
        return Event(action: .trigger(signal, details: details), dedupKey: key, fingerprint: signal.fingerprint)
    }
}
