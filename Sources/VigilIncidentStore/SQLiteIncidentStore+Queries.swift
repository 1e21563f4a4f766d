import Foundation
import GRDB
import VigilIncidents
import VigilCore

extension SQLiteIncidentStore {
    /// A page of incidents matching `query`, newest first.
    public func incidents(_ query: IncidentQuery) async throws(IncidentStoreError) -> IncidentPage {
        try await read { rows in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if !query.statuses.isEmpty {
                conditions.append("status IN (\(query.statuses.map { _ in "?" }.joined(separator: ", ")))")
                for status in query.statuses { arguments += [status.rawValue] }
            }
            if !query.severities.isEmpty {
                conditions.append("severity IN (\(query.severities.map { _ in "?" }.joined(separator: ", ")))")
                for severity in query.severities { arguments += [severity.rawValue] }
            }
            if let since = query.since {
                conditions.append("opened_at >= ?")
                arguments += [since]
            }
            if let text = query.text, !text.isEmpty {
                conditions.append("title LIKE ? ESCAPE '\\'")
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                arguments += ["%" + escaped + "%"]
            }
            if let service = query.service, !service.isEmpty {
                conditions.append("service = ?")
                arguments += [service]
            }
            if let cursor = query.cursor {
                conditions.append("number < ?")
                arguments += [cursor]
            }
            let limit = min(max(query.limit, 1), 1000)
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let found = try Row.fetchAll(
                rows.db, sql: "SELECT \(IncidentRows.columns) FROM incidents \(filter) ORDER BY number DESC LIMIT \(limit + 1)",
                arguments: arguments
            ).map(IncidentRows.incident)
            let page = Array(found.prefix(limit))
            return IncidentPage(incidents: page, nextCursor: found.count > limit ? page.last?.number : nil)
        }
    }

    /// The incident named by its id, `INC-42` or `42`.
    public func incident(_ reference: String) async throws(IncidentStoreError) -> Incident {
        try await read { rows in try rows.existing(reference) }
    }

    /// The incident a fingerprint's signals go to now, if any.
    public func incident(fingerprint: String) async throws(IncidentStoreError) -> Incident? {
        try await read { rows in try rows.routed(fingerprint) }
    }

    /// An incident's timeline, oldest first.
    public func timeline(_ reference: String) async throws(IncidentStoreError) -> [TimelineEvent] {
        try await read { rows in
            let incident = try rows.existing(reference)
            return try Row.fetchAll(
                rows.db, sql: "SELECT sequence, id, type, time, actor, event FROM timeline WHERE incident_id = ? ORDER BY sequence",
                arguments: [incident.id]
            ).compactMap { row in
                guard let type = IncidentEventType(rawValue: row["type"]) else { return nil }
                return TimelineEvent(
                    id: row["id"], sequence: row["sequence"], incidentID: incident.id, type: type, time: row["time"],
                    actor: row["actor"], json: row["event"])
            }
        }
    }

    /// An incident's notes, oldest first.
    public func notes(_ reference: String) async throws(IncidentStoreError) -> [IncidentNote] {
        try await read { rows in
            let incident = try rows.existing(reference)
            return try Row.fetchAll(
                rows.db, sql: "SELECT author, text, time FROM notes WHERE incident_id = ? ORDER BY sequence", arguments: [incident.id]
            ).map { IncidentNote(author: $0["author"], text: $0["text"], time: $0["time"]) }
        }
    }

    /// Open (firing or acknowledged) incidents by severity; every severity is present.
    public func openCounts() async throws(IncidentStoreError) -> [IncidentSeverity: Int] {
        try await read { rows in
            var counts = Dictionary(uniqueKeysWithValues: IncidentSeverity.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(
                rows.db, sql: "SELECT severity, COUNT(*) AS n FROM incidents WHERE status IN ('firing', 'acknowledged') GROUP BY severity")
            {
                if let severity = IncidentSeverity(rawValue: row["severity"]) { counts[severity] = row["n"] }
            }
            return counts
        }
    }

    /// Deletes resolved and merged incidents that ended before `cutoff` (wall time), with their
    /// routes, timeline, notes and delivered outbox rows; an incident with an undelivered outbox
    /// row is kept. Returns how many were deleted.
    public func prune(endedBefore cutoff: Int64) async throws(IncidentStoreError) -> Int {
        let cache = cache
        return try await write { rows in
            cache.clear()
            try rows.db.execute(
                sql: """
                    DELETE FROM incidents
                    WHERE status IN ('resolved', 'merged') AND COALESCE(resolved_at, updated_at) < ?
                      AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.incident_id = incidents.id AND delivered_at IS NULL)
                    """,
                arguments: [cutoff])
            return rows.db.changesCount
        }
    }
}
