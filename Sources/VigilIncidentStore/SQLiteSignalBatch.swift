import GRDB
import VigilIncidents

/// ``SignalBatch``'s reads on an open SQLite write transaction, through the writer's cache.
struct SQLiteSignalLookup: SignalBatchLookup {
    let rows: IncidentRows
    let cache: IncidentCache

    func routed(_ fingerprint: String) throws -> Incident? {
        try cache.routed(fingerprint) ?? rows.routed(fingerprint)
    }

    func latestEventIsRecentRepeat(_ incidentID: String, now: Int64) throws -> Bool {
        let latest = try rows.fetchOne(
            "SELECT type, time FROM timeline WHERE incident_id = ? ORDER BY sequence DESC LIMIT 1", [incidentID])
        return latest.map {
            ($0["type"] as String) == IncidentEventType.updated.rawValue && now - ($0["time"] as Int64) < SignalBatch.repeatInterval
        } ?? false
    }
}

extension IncidentRows {
    /// Writes a folded batch: numbers for the incidents it opened, the changed incidents, the new
    /// routes, and the events with their outbox rows; the cache learns what was written.
    func commit(_ batch: SignalBatch, cache: IncidentCache) throws -> [IncidentChange] {
        let plan = batch.plan(firstNumber: batch.openedCount > 0 ? try takeNumbers(batch.openedCount) : 1)
        for incident in plan.incidents {
            try save(incident)
            cache.keep(incident, routedFrom: plan.routedFrom[incident.id] ?? [])
        }
        for route in plan.newRoutes { try self.route(route.fingerprint, to: route.incidentID) }
        return try plan.events.map { try append($0.type, about: $0.incident, by: "auto", at: batch.now) }
    }
}
