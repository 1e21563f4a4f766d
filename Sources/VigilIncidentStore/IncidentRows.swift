import Foundation
import GRDB
import Synchronization
import VigilIncidents
import VigilCore
import VigilDetect

/// The SQL behind the store, on one open transaction: reading, writing and routing incidents, and
/// appending timeline events with their outbox rows. Callers hold the write (or read) access.
struct IncidentRows {
    let db: Database
    let events: CloudEventEncoder
    /// Set when this transaction queues a notification, so the store tells its observer after
    /// the commit.
    var outboxWritten: OutboxMark? = nil

    static let columns = IncidentColumns.names

    // MARK: Reading

    /// The incident with this id.
    func incident(id: String) throws -> Incident? {
        try fetchOne("SELECT \(Self.columns) FROM incidents WHERE id = ?", [id]).map(Self.incident)
    }

    /// The incident named by `reference`: its id, `INC-42`, or `42`.
    func incident(reference: String) throws -> Incident? {
        if let number = IncidentColumns.number(in: reference) {
            return try fetchOne("SELECT \(Self.columns) FROM incidents WHERE number = ?", [number]).map(Self.incident)
        }
        return try incident(id: reference.lowercased())
    }

    /// The incident `reference` names, or `notFound`.
    func existing(_ reference: String) throws -> Incident {
        guard let incident = try incident(reference: reference) else { throw IncidentStoreError.notFound(reference) }
        return incident
    }

    /// The incident a fingerprint's signals go to.
    func routed(_ fingerprint: String) throws -> Incident? {
        guard let id: String = try fetchOne("SELECT incident_id FROM routes WHERE fingerprint = ?", [fingerprint])?[0] else {
            return nil
        }
        var incident = try self.incident(id: id)
        // Routes follow merges; this only guards against a chain left by an older write.
        var hops = 0
        while let current = incident, current.status == .merged, let next = current.mergedInto, hops < 16 {
            incident = try self.incident(id: next)
            hops += 1
        }
        return incident
    }

    static func incident(_ row: Row) throws -> Incident {
        let labelsText: String = row["labels"]
        let evidenceText: String = row["evidence"]
        let severityName: String = row["severity"]
        let statusName: String = row["status"]
        guard let severity = IncidentSeverity(rawValue: severityName), let status = IncidentStatus(rawValue: statusName) else {
            throw IncidentStoreError.database(path: "", reason: "incident \(row["id"] as String? ?? "?") has an unknown severity or status")
        }
        return Incident(
            id: row["id"], number: row["number"], title: row["title"], severity: severity, status: status,
            fingerprint: row["fingerprint"], detector: row["detector"], name: row["name"],
            labels: try IncidentColumns.labels(from: labelsText),
            firstSeen: row["first_seen"], lastSeen: row["last_seen"], openedAt: row["opened_at"],
            acknowledgedAt: row["acknowledged_at"], acknowledgedBy: row["acknowledged_by"], resolvedAt: row["resolved_at"],
            resolvedBy: row["resolved_by"], signalCount: row["signal_count"], flapCount: row["flap_count"],
            assignee: row["assignee"], mergedInto: row["merged_into"],
            evidence: try IncidentEvidence(json: evidenceText), updatedAt: row["updated_at"])
    }

    // MARK: Statements

    /// The first row of a query; its statement is compiled once per connection and kept.
    func fetchOne(_ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// Runs a statement, compiled once per connection and kept.
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    // MARK: Writing

    /// Inserts or updates the incident's row (never deleting it: its routes and timeline stay).
    func save(_ incident: Incident) throws {
        let labels = IncidentColumns.labels(incident), evidence = IncidentColumns.evidence(incident)
        let arguments: StatementArguments = [
            incident.id, incident.number, incident.title, incident.severity.rawValue, incident.severity.rank,
            incident.status.rawValue, incident.fingerprint, incident.detector, incident.name, labels, incident.firstSeen,
            incident.lastSeen, incident.openedAt, incident.acknowledgedAt, incident.acknowledgedBy, incident.resolvedAt,
            incident.resolvedBy, incident.signalCount, incident.flapCount, incident.assignee, incident.mergedInto, evidence,
            incident.updatedAt, incident.label("service"),
        ]
        try execute(
            """
                INSERT INTO incidents (\(Self.columns), service) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET \(IncidentColumns.upsertAssignments)
                """, arguments)
    }

    /// Sends `fingerprint`'s signals to `incidentID`.
    func route(_ fingerprint: String, to incidentID: String) throws {
        try execute(
            "INSERT INTO routes (fingerprint, incident_id) VALUES (?, ?) ON CONFLICT (fingerprint) DO UPDATE SET incident_id = excluded.incident_id",
            [fingerprint, incidentID])
    }

    /// Sends every fingerprint routed to `source` to `target` instead (a merge).
    func reroute(from source: String, to target: String) throws {
        try db.execute(sql: "UPDATE routes SET incident_id = ? WHERE incident_id = ?", arguments: [target, source])
    }

    /// Takes `count` incident numbers and returns the first (monotonic: the counter is never
    /// lowered, even by retention).
    func takeNumbers(_ count: Int) throws -> Int {
        try execute("UPDATE counters SET value = value + ? WHERE name = 'incident_number'", [count])
        let last: Int = try fetchOne("SELECT value FROM counters WHERE name = 'incident_number'")?[0] ?? count
        return last - count + 1
    }

    /// Appends a timeline event about `incident` (as it is now) and, when the event notifies, its
    /// outbox row.
    @discardableResult
    func append(
        _ type: IncidentEventType, about incident: Incident, by actor: String, at time: Int64, note: IncidentNote? = nil
    ) throws -> IncidentChange {
        let id = UUID().uuidString.lowercased()
        let json = events.encode(id: id, type: type, time: time, actor: actor, incident: incident, note: note)
        try execute(
            "INSERT INTO timeline (id, incident_id, type, time, actor, event) VALUES (?, ?, ?, ?, ?, ?)",
            [id, incident.id, type.rawValue, time, actor, json])
        if type.notifies {
            try execute(
                "INSERT INTO outbox (event_id, incident_id, type, created_at) VALUES (?, ?, ?, ?)", [id, incident.id, type.rawValue, time])
            outboxWritten?.set()
        }
        return IncidentChange(type: type, incident: incident, actor: actor, eventID: id)
    }
}

/// Whether a write transaction queued a notification (set on GRDB's writer thread, read after
/// the commit on the caller's task).
final class OutboxMark: Sendable {
    private let written = Atomic<Bool>(false)

    func set() { written.store(true, ordering: .relaxed) }
    var isSet: Bool { written.load(ordering: .relaxed) }
}
