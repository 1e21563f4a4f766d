import PostgresNIO
import VigilIncidents

/// What ``SignalBatch`` reads of a batch's fingerprints, loaded up front in a few statements with
/// the incidents' rows locked (PostgreSQL is a round trip away; SQLite reads as it goes).
struct PostgresSignalLookup: SignalBatchLookup {
    private var routes: [String: String] = [:]
    private var incidents: [String: Incident] = [:]
    private var latest: [String: (type: String, time: Int64)] = [:]

    /// Loads the routes of `fingerprints`, locks and reads their incidents (and those they were
    /// merged into), and reads each one's latest timeline event.
    static func load(_ fingerprints: [String], in tx: PostgresTransaction) async throws -> PostgresSignalLookup {
        var lookup = PostgresSignalLookup()
        for row in try await tx.rows("SELECT fingerprint, incident_id FROM routes WHERE fingerprint = ANY(\(fingerprints)::text[])") {
            lookup.routes[try row["fingerprint"].decode(String.self)] = try row["incident_id"].decode(String.self)
        }
        var wanted = Set(lookup.routes.values)
        for _ in 0..<16 where !wanted.isEmpty {
            let ids = wanted.sorted()
            wanted = []
            for incident in try await tx.lockedIncidents(ids) {
                lookup.incidents[incident.id] = incident
                if incident.status == .merged, let next = incident.mergedInto, lookup.incidents[next] == nil { wanted.insert(next) }
            }
        }
        let ids = Array(lookup.incidents.keys)
        if !ids.isEmpty {
            for row in try await tx.rows(
                """
                SELECT DISTINCT ON (incident_id) incident_id, type, time FROM timeline
                WHERE incident_id = ANY(\(ids)::text[]) ORDER BY incident_id, sequence DESC
                """)
            {
                lookup.latest[try row["incident_id"].decode(String.self)] = (try row["type"].decode(String.self), try row["time"].decode(Int64.self))
            }
        }
        return lookup
    }

    func routed(_ fingerprint: String) throws -> Incident? {
        var incident = routes[fingerprint].flatMap { incidents[$0] }
        var hops = 0
        while let current = incident, current.status == .merged, let next = current.mergedInto, hops < 16 {
            incident = incidents[next]
            hops += 1
        }
        return incident
    }

    func latestEventIsRecentRepeat(_ incidentID: String, now: Int64) throws -> Bool {
        guard let latest = latest[incidentID] else { return false }
        return latest.type == IncidentEventType.updated.rawValue && now - latest.time < SignalBatch.repeatInterval
    }
}
