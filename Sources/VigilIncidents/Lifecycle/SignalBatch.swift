import Foundation

/// What folding a batch of signals needs to know of the store, read inside the batch's
/// transaction.
public protocol SignalBatchLookup {
    /// The incident `fingerprint`'s signals go to (merges followed), if any.
    mutating func routed(_ fingerprint: String) throws -> Incident?
    /// Whether the incident's latest timeline event is an `updated` recorded less than
    /// ``SignalBatch/repeatInterval`` before `now`.
    mutating func latestEventIsRecentRepeat(_ incidentID: String, now: Int64) throws -> Bool
}

/// Folds a batch of signals into the incidents they open or change, and the timeline events to
/// record, deciding every step with ``IncidentLifecycle``: the one piece of code every
/// ``IncidentStore`` runs, whatever database it writes to.
///
/// Incidents touched by the batch are read once and written once; events are kept in signal
/// order. Repeats (`updated`) are recorded at most once a minute per incident: each run of them
/// within the batch is folded into its last, and none is recorded while the incident's latest
/// timeline event is an `updated` less than `repeatInterval` old. The row always has the exact
/// count, so a storm costs one row write per incident and batch, not a timeline event per signal.
///
/// Incidents opened by the batch get their numbers only in ``plan(firstNumber:)``, so a store can
/// take all of them from its counter in one statement.
public struct SignalBatch {
    private let policy: IncidentsConfiguration
    /// When the batch is applied (wall time, ns).
    public let now: Int64
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
    /// Ids of the incidents this batch opened, in order.
    private var opened: [String] = []

    /// How often a repeat is recorded in an incident's timeline at most.
    public static let repeatInterval: Int64 = 60_000_000_000

    /// An empty batch applied at `now` (wall time, ns).
    public init(policy: IncidentsConfiguration, now: Int64) {
        self.policy = policy
        self.now = now
    }

    /// How many incidents the batch opens (the numbers ``plan(firstNumber:)`` needs).
    public var openedCount: Int { opened.count }

    /// Folds one signal in.
    public mutating func apply(_ signal: IncidentSignal, lookup: inout some SignalBatchLookup) throws {
        let current = try routed(signal.fingerprint, lookup: &lookup)
        switch IncidentLifecycle.decide(signal, for: current, policy: policy, now: now) {
        case .ignore:
            return
        case .open:
            let id = UUID().uuidString.lowercased()
            let incident = IncidentLifecycle.open(signal, id: id, number: 0, policy: policy, now: now)
            routes[signal.fingerprint] = id
            newRoutes.append((signal.fingerprint, id))
            opened.append(id)
            record(.opened, incident)
        case .change(let incident, let types):
            for type in types {
                if type == .updated, try recentlyRecordedRepeat(incident.id, lookup: &lookup) {
                    track(incident)
                } else {
                    record(type, incident)
                }
            }
        }
    }

    /// What to write: the opened incidents numbered from `firstNumber` on, in the order they opened.
    public func plan(firstNumber: Int) -> SignalBatchPlan {
        var numbers: [String: Int] = [:]
        for (offset, id) in opened.enumerated() { numbers[id] = firstNumber + offset }
        func numbered(_ incident: Incident) -> Incident {
            guard let number = numbers[incident.id] else { return incident }
            var incident = incident
            incident.number = number
            return incident
        }
        var routedFrom: [String: [String]] = [:]
        for (fingerprint, id) in routes { routedFrom[id, default: []].append(fingerprint) }
        return SignalBatchPlan(
            incidents: changed.map { numbered(incidents[$0]!) }, routedFrom: routedFrom,
            newRoutes: newRoutes, events: events.map { ($0.type, numbered($0.incident)) })
    }

    /// Whether the incident's latest timeline event, before this batch, is a recent repeat.
    private mutating func recentlyRecordedRepeat(_ id: String, lookup: inout some SignalBatchLookup) throws -> Bool {
        guard latestEvent[id] == nil else { return false }
        if let known = lastRecordedRepeat[id] { return known }
        let recent = try lookup.latestEventIsRecentRepeat(id, now: now)
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

    private mutating func routed(_ fingerprint: String, lookup: inout some SignalBatchLookup) throws -> Incident? {
        if let id = routes[fingerprint] { return incidents[id] }
        guard let incident = try lookup.routed(fingerprint) else { return nil }
        let known = incidents[incident.id] ?? incident
        incidents[incident.id] = known
        routes[fingerprint] = incident.id
        return known
    }
}

/// A folded batch, ready to write in one transaction.
public struct SignalBatchPlan: Sendable {
    /// The incidents to insert or update, in the order they were first changed.
    public var incidents: [Incident]
    /// Every fingerprint the batch saw, by the incident it routes to.
    public var routedFrom: [String: [String]]
    /// Routes to add (fingerprints that opened an incident).
    public var newRoutes: [(fingerprint: String, incidentID: String)]
    /// Timeline events to append, in order, each with the incident as it left it.
    public var events: [(type: IncidentEventType, incident: Incident)]
}
