import GRDB
import VigilIncidents

extension IncidentStore {
    /// The report over incidents opened from `since` to `until` (wall time, ns).
    public func report(since: Int64, until: Int64) async throws(IncidentStoreError) -> IncidentReport {
        try await read { rows in
            let found = try Row.fetchAll(
                rows.db,
                sql: """
                    SELECT number, severity, detector, fingerprint, title, opened_at, acknowledged_at, resolved_at, status, flap_count
                    FROM incidents WHERE opened_at >= ? AND opened_at <= ? ORDER BY number
                    """,
                arguments: [since, until])
            var bySeverity = Dictionary(uniqueKeysWithValues: IncidentSeverity.allCases.map { ($0.rawValue, 0) })
            var byDetector: [String: Int] = [:]
            var acknowledge: [Int64] = [], resolve: [Int64] = []
            var flapping: [String: IncidentReport.Flapping] = [:]
            for row in found {
                let opened: Int64 = row["opened_at"]
                bySeverity[row["severity"], default: 0] += 1
                byDetector[row["detector"], default: 0] += 1
                if let acknowledged: Int64 = row["acknowledged_at"] { acknowledge.append(acknowledged - opened) }
                if let resolved: Int64 = row["resolved_at"], (row["status"] as String) == IncidentStatus.resolved.rawValue {
                    resolve.append(resolved - opened)
                }
                let fingerprint: String = row["fingerprint"]
                var entry = flapping[fingerprint] ?? .init(fingerprint: fingerprint, title: "", flaps: 0, incidents: 0)
                entry.title = row["title"]
                entry.flaps += row["flap_count"] as Int
                entry.incidents += 1
                flapping[fingerprint] = entry
            }
            let top = flapping.values.filter { $0.flaps > 0 }
                .sorted { $0.flaps != $1.flaps ? $0.flaps > $1.flaps : $0.fingerprint < $1.fingerprint }
            return IncidentReport(
                since: since, until: until, total: found.count, bySeverity: bySeverity, byDetector: byDetector,
                timeToAcknowledge: DurationSummary(acknowledge), timeToResolve: DurationSummary(resolve),
                flapping: Array(top.prefix(10)))
        }
    }
}
