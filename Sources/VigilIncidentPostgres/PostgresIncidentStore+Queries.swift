import PostgresNIO
import VigilIncidents

extension PostgresIncidentStore {
    public func incidents(_ query: IncidentQuery) async throws(IncidentStoreError) -> IncidentPage {
        try await read { tx in
            var sql = "SELECT \(PostgresTransaction.columns) FROM incidents WHERE TRUE"
            var binds = PostgresBindings()
            func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
                binds.append(value)
                return "$\(binds.count)"
            }
            if !query.statuses.isEmpty { sql += " AND status = ANY(\(bind(query.statuses.map(\.rawValue)))::text[])" }
            if !query.severities.isEmpty { sql += " AND severity = ANY(\(bind(query.severities.map(\.rawValue)))::text[])" }
            if let since = query.since { sql += " AND opened_at >= \(bind(since))" }
            if let text = query.text, !text.isEmpty {
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                sql += " AND title ILIKE \(bind("%" + escaped + "%")) ESCAPE '\\'"
            }
            if let service = query.service, !service.isEmpty { sql += " AND service = \(bind(service))" }
            if let cursor = query.cursor { sql += " AND number < \(bind(cursor))" }
            let limit = min(max(query.limit, 1), 1000)
            sql += " ORDER BY number DESC LIMIT \(limit + 1)"
            let found = try await tx.rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map(PostgresTransaction.incident)
            let page = Array(found.prefix(limit))
            return IncidentPage(incidents: page, nextCursor: found.count > limit ? page.last?.number : nil)
        }
    }

    public func incident(_ reference: String) async throws(IncidentStoreError) -> Incident {
        try await read { tx in try await tx.existing(reference) }
    }

    public func incident(fingerprint: String) async throws(IncidentStoreError) -> Incident? {
        try await read { tx in try await tx.routed(fingerprint) }
    }

    public func timeline(_ reference: String) async throws(IncidentStoreError) -> [TimelineEvent] {
        try await read { tx in
            let incident = try await tx.existing(reference)
            return try await tx.rows(
                "SELECT sequence, id, type, time, actor, event FROM timeline WHERE incident_id = \(incident.id) ORDER BY sequence"
            ).compactMap { row in
                guard let type = IncidentEventType(rawValue: try row["type"].decode(String.self)) else { return nil }
                return TimelineEvent(
                    id: try row["id"].decode(String.self), sequence: try row["sequence"].decode(Int64.self), incidentID: incident.id,
                    type: type, time: try row["time"].decode(Int64.self), actor: try row["actor"].decode(String.self),
                    json: try row["event"].decode(String.self))
            }
        }
    }

    public func notes(_ reference: String) async throws(IncidentStoreError) -> [IncidentNote] {
        try await read { tx in
            let incident = try await tx.existing(reference)
            return try await tx.rows("SELECT author, text, time FROM notes WHERE incident_id = \(incident.id) ORDER BY sequence").map {
                IncidentNote(author: try $0["author"].decode(String.self), text: try $0["text"].decode(String.self), time: try $0["time"].decode(Int64.self))
            }
        }
    }

    public func openCounts() async throws(IncidentStoreError) -> [IncidentSeverity: Int] {
        try await read { tx in
            var counts = Dictionary(uniqueKeysWithValues: IncidentSeverity.allCases.map { ($0, 0) })
            for row in try await tx.rows(
                "SELECT severity, COUNT(*) AS n FROM incidents WHERE status IN ('firing', 'acknowledged') GROUP BY severity")
            {
                if let severity = IncidentSeverity(rawValue: try row["severity"].decode(String.self)) { counts[severity] = try row["n"].decode(Int.self) }
            }
            return counts
        }
    }

    public func report(since: Int64, until: Int64) async throws(IncidentStoreError) -> IncidentReport {
        try await read { tx in
            let entries = try await tx.rows(
                """
                SELECT \(unescaped: IncidentReport.entryColumns) FROM incidents
                WHERE opened_at >= \(since) AND opened_at <= \(until) ORDER BY number
                """
            ).map { row in
                IncidentReport.Entry(
                    severity: try row["severity"].decode(String.self), detector: try row["detector"].decode(String.self),
                    fingerprint: try row["fingerprint"].decode(String.self), title: try row["title"].decode(String.self),
                    status: try row["status"].decode(String.self), openedAt: try row["opened_at"].decode(Int64.self),
                    acknowledgedAt: try row["acknowledged_at"].decode(Int64?.self), resolvedAt: try row["resolved_at"].decode(Int64?.self),
                    flapCount: try row["flap_count"].decode(Int.self))
            }
            return IncidentReport(since: since, until: until, entries: entries)
        }
    }

    public func prune(endedBefore cutoff: Int64) async throws(IncidentStoreError) -> Int {
        try await transaction { tx in
            try await tx.execute(
                """
                DELETE FROM incidents
                WHERE status IN ('resolved', 'merged') AND COALESCE(resolved_at, updated_at) < \(cutoff)
                  AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.incident_id = incidents.id AND delivered_at IS NULL)
                """)
        }
    }
}
