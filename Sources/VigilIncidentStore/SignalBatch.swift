import Foundation
import GRDB
import VigilIncidents

/// Applies a batch of signals inside one write transaction. Incidents touched by the batch are
/// read once and written once at the end; their events are recorded in signal order.
///
/// Repeats (`updated`) are recorded at most once a minute per incident: each run of them within
/// the batch is folded into its last, and none is recorded while the incident's latest timeline
/// event is an `updated` less than `repeatInterval` old. The row always has the exact count, so a
/// storm costs one row write per incident and batch, not a timeline event per signal.
struct SignalBatch {
    private let rows: IncidentRows
    private let cache: IncidentCache
    private let policy: IncidentsConfiguration
    private let now: Int64
    /// Incidents read or changed in this batch, by id.
    private var incidents: [String: Incident] = [:]
    /// Ids in the order they were first changed (the order rows are written).
    private var changed: [String] = []
    private var isChanged: Set<String> = []
    /// Where each fingerprint routes, as far as this batch knows (changes included).
    private var routes: [String: String] = [:]
    private var newRoutes: [(fingerprint: String, incidentID: String)] = []
    private var events: [(type: IncidentEventType, incident: Incident)] = []
    /// The index in `events` of each incident's latest event.
    private var latestEvent: [String: Int] = [:]
    /// Per incident: whether its latest timeline event before this batch is a recent repeat.
    private var lastRecordedRepeat: [String: Bool] = [:]

    /// How often a repeat is recorded in an incident's timeline at most.
    static let repeatInterval: Int64 = 60_000_000_000

    init(rows: IncidentRows, cache: IncidentCache, policy: IncidentsConfiguration, now: Int64) {
        self.rows = rows
        self.cache = cache
        self.policy = policy
        self.now = now
    }

    mutating func apply(_ signal: IncidentSignal) throws {
        let current = try routed(signal.fingerprint)
        switch IncidentLifecycle.decide(signal, for: current, policy: policy, now: now) {
        case .ignore:
            return
        case .open:
            let id = UUID().uuidString.lowercased()
            let incident = IncidentLifecycle.open(signal, id: id, number: try rows.nextNumber(), policy: policy, now: now)
            routes[signal.fingerprint] = id
            newRoutes.append((signal.fingerprint, id))
            record(.opened, incident)
        case .change(let incident, let types):
            for type in types {
                if type == .updated, try recentlyRecordedRepeat(incident.id) {
                    track(incident)
                } else {
                    record(type, incident)
                }
            }
        }
    }

    /// Writes the changed incidents, the new routes, and the events with their outbox rows.
    mutating func commit() throws -> [IncidentChange] {
        var routedFrom: [String: [String]] = [:]
        for (fingerprint, id) in routes { routedFrom[id, default: []].append(fingerprint) }
        for id in changed {
            try rows.save(incidents[id]!)
            cache.keep(incidents[id]!, routedFrom: routedFrom[id] ?? [])
        }
        for route in newRoutes { try rows.route(route.fingerprint, to: route.incidentID) }
        return try events.map { try rows.append($0.type, about: $0.incident, by: "auto", at: now) }
    }

    /// Whether the incident's latest timeline event, before this batch, is a repeat recorded less
    /// than `repeatInterval` ago.
    private mutating func recentlyRecordedRepeat(_ id: String) throws -> Bool {
        guard latestEvent[id] == nil else { return false }
        if let known = lastRecordedRepeat[id] { return known }
        let latest = try rows.fetchOne("SELECT type, time FROM timeline WHERE incident_id = ? ORDER BY sequence DESC LIMIT 1", [id])
        let recent = latest.map { ($0["type"] as String) == IncidentEventType.updated.rawValue && now - ($0["time"] as Int64) < Self.repeatInterval } ?? false
        lastRecordedRepeat[id] = recent
        return recent
    }

    /// Keeps the changed incident to write, recording no event.
    private mutating func track(_ incident: Incident) {
        if isChanged.insert(incident.id).inserted { changed.append(incident.id) }
        incidents[incident.id] = incident
    }

    private mutating func record(_ type: IncidentEventType, _ incident: Incident) {
        track(incident)
        if type == .updated, let index = latestEvent[incident.id], events[index].type == .updated {
            events[index].incident = incident
            return
        }
        latestEvent[incident.id] = events.count
        events.append((type, incident))
    }

    private mutating func routed(_ fingerprint: String) throws -> Incident? {
        if let id = routes[fingerprint] { return incidents[id] }
        guard let incident = try cache.routed(fingerprint) ?? rows.routed(fingerprint) else { return nil }
        let known = incidents[incident.id] ?? incident
        incidents[incident.id] = known
        routes[fingerprint] = incident.id
        return known
    }
}
