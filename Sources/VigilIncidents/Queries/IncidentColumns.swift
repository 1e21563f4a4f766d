import Foundation
import VigilDetect

/// How an incident's structured fields are kept in a database's text columns, the same in every
/// ``IncidentStore``: labels as `[["name","value"],…]` (pairs, so the group-by order is kept) and
/// evidence as its JSON without the query.
public enum IncidentColumns {
    /// The `incidents` table's columns, in the order every store selects them.
    public static let names = """
        id, number, title, severity, severity_rank, status, fingerprint, detector, name, labels, first_seen, \
        last_seen, opened_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, signal_count, \
        flap_count, assignee, merged_into, evidence, updated_at
        """

    /// The `labels` column.
    public static func labels(_ incident: Incident) -> String {
        var writer = IncidentJSONWriter()
        writer.raw("[".utf8)
        for (index, label) in incident.labels.enumerated() {
            if index > 0 { writer.raw(",".utf8) }
            writer.strings([label.name, label.value])
        }
        writer.raw("]".utf8)
        return writer.text
    }

    /// The `evidence` column.
    public static func evidence(_ incident: Incident) -> String {
        var writer = IncidentJSONWriter()
        writer.evidence(incident.evidence, withQuery: false)
        return writer.text
    }

    /// The `SET` list of the upsert that saves an incident (`INSERT … ON CONFLICT (id) DO UPDATE`),
    /// the same in SQLite and PostgreSQL: every column but the id, number, fingerprint, detector,
    /// name and opening time, which never change.
    public static let upsertAssignments = """
        title = excluded.title, severity = excluded.severity, severity_rank = excluded.severity_rank,
        status = excluded.status, labels = excluded.labels, service = excluded.service, first_seen = excluded.first_seen,
        last_seen = excluded.last_seen, acknowledged_at = excluded.acknowledged_at,
        acknowledged_by = excluded.acknowledged_by, resolved_at = excluded.resolved_at,
        resolved_by = excluded.resolved_by, signal_count = excluded.signal_count,
        flap_count = excluded.flap_count, assignee = excluded.assignee, merged_into = excluded.merged_into,
        evidence = excluded.evidence, updated_at = excluded.updated_at
        """

    /// The condition that delivery `d` is the head of its incident's queue to its endpoint: no
    /// earlier delivery of the same incident to the same endpoint is pending.
    public static let deliveryIsHead = """
        NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id AND e.endpoint = d.endpoint
            AND e.state = 'pending' AND e.sequence < d.sequence)
        """

    /// A delivery's columns (`d`) with its incident's number (`i`), as every store selects them.
    public static let deliveryNames = """
        d.sequence, d.id, d.endpoint, d.incident_id, i.number AS incident_number, d.event_id, d.event, d.state, d.attempts, \
        d.created_at, d.retry_since, d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.response, d.finished_at
        """

    /// Labels read back from their column.
    public static func labels(from text: String) throws -> [GroupValue] {
        (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String]] ?? []).map {
            GroupValue(name: $0.first ?? "", value: $0.count > 1 ? $0[1] : "")
        }
    }

    /// `42` from `INC-42` (any case) or `42`; `nil` for anything else (an id).
    public static func number(in reference: String) -> Int? {
        let upper = reference.uppercased()
        let digits = upper.hasPrefix("INC-") ? String(upper.dropFirst(4)) : upper
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(digits)
    }

    /// The incident as a stored timeline event left it (the event's `data`).
    public static func snapshot(_ eventJSON: String) throws -> Incident {
        struct Envelope: Decodable { let data: Incident }
        return try JSONDecoder().decode(Envelope.self, from: Data(eventJSON.utf8)).data
    }

    /// A new `webhook-id`: `msg_` and a random UUID's hex, as Standard Webhooks' examples use.
    public static func newDeliveryID() -> String {
        "msg_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}
