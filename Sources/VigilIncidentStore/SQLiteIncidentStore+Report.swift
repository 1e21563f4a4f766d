import GRDB
import VigilIncidents

extension SQLiteIncidentStore {
    /// The report over incidents opened from `since` to `until` (wall time, ns).
    public func report(since: Int64, until: Int64) async throws(IncidentStoreError) -> IncidentReport {
        try await read { rows in
            let entries = try Row.fetchAll(
                rows.db,
                sql: "SELECT \(IncidentReport.entryColumns) FROM incidents WHERE opened_at >= ? AND opened_at <= ? ORDER BY number",
                arguments: [since, until]
            ).map { row in
                IncidentReport.Entry(
                    severity: row["severity"], detector: row["detector"], fingerprint: row["fingerprint"], title: row["title"],
                    status: row["status"], openedAt: row["opened_at"], acknowledgedAt: row["acknowledged_at"],
                    resolvedAt: row["resolved_at"], flapCount: row["flap_count"])
            }
            return IncidentReport(since: since, until: until, entries: entries)
        }
    }
}
