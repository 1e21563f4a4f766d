import Foundation
import Logging
import PostgresNIO
import Synchronization
import VigilIncidents

/// The SQL behind the store, on one open transaction (or, for reads, one connection): reading,
/// locking, writing and routing incidents, and appending timeline events with their outbox rows.
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger
    let events: CloudEventEncoder
    /// Set when this transaction queues a notification or changes deliveries, so other vigild
    /// are told (`NOTIFY`, sent at the commit).
    let notices: NoticeMark

    // MARK: Statements

    /// Every row of `query`.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    /// The first row of `query`.
    func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await rows(query).first
    }

    /// Runs `query`, returning how many rows it changed.
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await _ in try await connection.query(query, logger: logger) { count += 1 }
        return count
    }

    /// Runs a statement that returns no rows, returning the rows it affected (from its command tag).
    @discardableResult
    func change(_ query: PostgresQuery) async throws -> Int {
        let result: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
        return try await result.get().metadata.rows ?? 0
    }

    // MARK: Reading

    static let columns = IncidentColumns.names

    /// The incident with this id; `lock` takes its row lock until the transaction ends.
    func incident(id: String, lock: Bool = false) async throws -> Incident? {
        try await row(
            "SELECT \(unescaped: Self.columns) FROM incidents WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")"
        ).map(Self.incident)
    }

    /// The incident named by `reference`: its id, `INC-42`, or `42`.
    func incident(reference: String, lock: Bool = false) async throws -> Incident? {
        if let number = IncidentColumns.number(in: reference) {
            return try await row(
                "SELECT \(unescaped: Self.columns) FROM incidents WHERE number = \(number) \(unescaped: lock ? "FOR UPDATE" : "")"
            ).map(Self.incident)
        }
        return try await incident(id: reference.lowercased(), lock: lock)
    }

    /// The incident `reference` names, or `notFound`.
    func existing(_ reference: String, lock: Bool = false) async throws -> Incident {
        guard let incident = try await incident(reference: reference, lock: lock) else { throw IncidentStoreError.notFound(reference) }
        return incident
    }

    /// The incident a fingerprint's signals go to (merges followed).
    func routed(_ fingerprint: String) async throws -> Incident? {
        guard let row = try await row("SELECT incident_id FROM routes WHERE fingerprint = \(fingerprint)") else { return nil }
        return try await followingMerges(incident(id: try row["incident_id"].decode(String.self)), lock: false)
    }

    /// `incident`, or the one it was merged into (a chain left by an older write is followed too).
    func followingMerges(_ incident: Incident?, lock: Bool) async throws -> Incident? {
        var incident = incident
        var hops = 0
        while let current = incident, current.status == .merged, let next = current.mergedInto, hops < 16 {
            incident = try await self.incident(id: next, lock: lock)
            hops += 1
        }
        return incident
    }

    static func incident(_ row: PostgresRandomAccessRow) throws -> Incident {
        let severityName = try row["severity"].decode(String.self), statusName = try row["status"].decode(String.self)
        guard let severity = IncidentSeverity(rawValue: severityName), let status = IncidentStatus(rawValue: statusName) else {
            throw IncidentStoreError.database(path: "", reason: "incident \(try row["id"].decode(String.self)) has an unknown severity or status")
        }
        return Incident(
            id: try row["id"].decode(String.self), number: try row["number"].decode(Int.self), title: try row["title"].decode(String.self),
            severity: severity, status: status, fingerprint: try row["fingerprint"].decode(String.self),
            detector: try row["detector"].decode(String.self), name: try row["name"].decode(String.self),
            labels: try IncidentColumns.labels(from: row["labels"].decode(String.self)),
            firstSeen: try row["first_seen"].decode(Int64.self), lastSeen: try row["last_seen"].decode(Int64.self),
            openedAt: try row["opened_at"].decode(Int64.self), acknowledgedAt: try row["acknowledged_at"].decode(Int64?.self),
            acknowledgedBy: try row["acknowledged_by"].decode(String?.self), resolvedAt: try row["resolved_at"].decode(Int64?.self),
            resolvedBy: try row["resolved_by"].decode(String?.self), signalCount: try row["signal_count"].decode(Int.self),
            flapCount: try row["flap_count"].decode(Int.self), assignee: try row["assignee"].decode(String?.self),
            mergedInto: try row["merged_into"].decode(String?.self),
            evidence: try IncidentEvidence(json: row["evidence"].decode(String.self)), updatedAt: try row["updated_at"].decode(Int64.self))
    }

    // MARK: Writing

    /// Inserts or updates the incident's row (never deleting it: its routes and timeline stay).
    func save(_ incident: Incident) async throws {
        let labels = IncidentColumns.labels(incident), evidence = IncidentColumns.evidence(incident)
        try await change(
            """
            INSERT INTO incidents (\(unescaped: Self.columns), service) VALUES (
                \(incident.id), \(incident.number), \(incident.title), \(incident.severity.rawValue), \(incident.severity.rank),
                \(incident.status.rawValue), \(incident.fingerprint), \(incident.detector), \(incident.name), \(labels),
                \(incident.firstSeen), \(incident.lastSeen), \(incident.openedAt), \(incident.acknowledgedAt),
                \(incident.acknowledgedBy), \(incident.resolvedAt), \(incident.resolvedBy), \(incident.signalCount),
                \(incident.flapCount), \(incident.assignee), \(incident.mergedInto), \(evidence), \(incident.updatedAt),
                \(incident.label("service")))
            ON CONFLICT (id) DO UPDATE SET
                title = excluded.title, severity = excluded.severity, severity_rank = excluded.severity_rank,
                status = excluded.status, labels = excluded.labels, service = excluded.service, first_seen = excluded.first_seen,
                last_seen = excluded.last_seen, acknowledged_at = excluded.acknowledged_at,
                acknowledged_by = excluded.acknowledged_by, resolved_at = excluded.resolved_at,
                resolved_by = excluded.resolved_by, signal_count = excluded.signal_count,
                flap_count = excluded.flap_count, assignee = excluded.assignee, merged_into = excluded.merged_into,
                evidence = excluded.evidence, updated_at = excluded.updated_at
            """)
    }

    /// Sends `fingerprint`'s signals to `incidentID`.
    func route(_ fingerprint: String, to incidentID: String) async throws {
        try await change(
            """
            INSERT INTO routes (fingerprint, incident_id) VALUES (\(fingerprint), \(incidentID))
            ON CONFLICT (fingerprint) DO UPDATE SET incident_id = excluded.incident_id
            """)
    }

    /// Takes `count` incident numbers and returns the first. The counter's row lock is held to the
    /// commit, so numbers are never skipped, even when a transaction rolls back.
    func takeNumbers(_ count: Int) async throws -> Int {
        let row = try await row("UPDATE counters SET value = value + \(count) WHERE name = 'incident_number' RETURNING value")
        let last = try row?["value"].decode(Int.self) ?? count
        return last - count + 1
    }

    /// Appends a timeline event about `incident` (as it is now) and, when the event notifies, its
    /// outbox row.
    @discardableResult
    func append(
        _ type: IncidentEventType, about incident: Incident, by actor: String, at time: Int64, note: IncidentNote? = nil
    ) async throws -> IncidentChange {
        let id = UUID().uuidString.lowercased()
        let json = events.encode(id: id, type: type, time: time, actor: actor, incident: incident, note: note)
        try await change(
            """
            INSERT INTO timeline (id, incident_id, type, time, actor, event)
            VALUES (\(id), \(incident.id), \(type.rawValue), \(time), \(actor), \(json))
            """)
        if type.notifies {
            try await change(
                """
                INSERT INTO outbox (event_id, incident_id, type, created_at) VALUES (\(id), \(incident.id), \(type.rawValue), \(time))
                """)
            notices.mark(.outbox)
        }
        return IncidentChange(type: type, incident: incident, actor: actor, eventID: id)
    }

    /// Takes a lock on `key` (a text) until the transaction ends.
    func lock(_ key: String) async throws {
        try await execute("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))")
    }
}

/// What a transaction tells the other vigild sharing the database about, at its commit.
final class NoticeMark: Sendable {
    /// A channel payload.
    enum Notice: String {
        /// A notification was queued in the outbox.
        case outbox
        /// Deliveries were queued or rescheduled.
        case deliveries
    }

    private let marks = Mutex<Set<String>>([])

    func mark(_ notice: Notice) { _ = marks.withLock { $0.insert(notice.rawValue) } }
    var notices: Set<String> { marks.withLock { $0 } }
}
