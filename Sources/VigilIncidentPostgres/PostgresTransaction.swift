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
    /// The store's decoded incidents, by revision (read here; written only after a commit).
    let cache: RevisionCache
    /// The incidents this transaction saved or read, with their revisions: the cache learns them
    /// once the transaction has committed.
    let saved: RevisionCache.Pending

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

    /// Runs a statement, returning how many rows it affected or returned (its command tag).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
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
        try await save([incident])
    }

    /// Reads the incidents with these ids, locked until the transaction ends, taking those whose
    /// revision has not moved from the store's cache instead of decoding their rows again.
    func lockedIncidents(_ ids: [String]) async throws -> [Incident] {
        guard !ids.isEmpty else { return [] }
        let sorted = ids.sorted()
        var found: [Incident] = [], stale: [String] = []
        for row in try await rows("SELECT id, revision FROM incidents WHERE id = ANY(\(sorted)::text[]) ORDER BY id FOR UPDATE") {
            let id = try row["id"].decode(String.self), revision = try row["revision"].decode(Int64.self)
            if let incident = cache.incident(id, revision: revision) { found.append(incident) } else { stale.append(id) }
        }
        if !stale.isEmpty {
            for row in try await rows("SELECT \(unescaped: Self.columns), revision FROM incidents WHERE id = ANY(\(stale)::text[])") {
                let incident = try Self.incident(row)
                found.append(incident)
                saved.keep(incident, revision: try row["revision"].decode(Int64.self))
            }
        }
        return found
    }

    /// Inserts or updates incidents' rows in one statement (a storm over many fingerprints costs
    /// one round trip per batch, not one per incident): the rows travel as one JSON array.
    func save(_ incidents: [Incident]) async throws {
        guard !incidents.isEmpty else { return }
        var rows = JSONRows()
        for incident in incidents {
            rows.row { w in
                w.key("id", first: true); w.string(incident.id)
                w.key("number"); w.integer(incident.number)
                w.key("title"); w.string(incident.title)
                w.key("severity"); w.string(incident.severity.rawValue)
                w.key("severity_rank"); w.integer(incident.severity.rank)
                w.key("status"); w.string(incident.status.rawValue)
                w.key("fingerprint"); w.string(incident.fingerprint)
                w.key("detector"); w.string(incident.detector)
                w.key("name"); w.string(incident.name)
                w.key("labels"); w.string(IncidentColumns.labels(incident))
                w.key("first_seen"); w.integer(Int(incident.firstSeen))
                w.key("last_seen"); w.integer(Int(incident.lastSeen))
                w.key("opened_at"); w.integer(Int(incident.openedAt))
                w.key("acknowledged_at"); JSONRows.integer(incident.acknowledgedAt, &w)
                w.key("acknowledged_by"); w.string(incident.acknowledgedBy)
                w.key("resolved_at"); JSONRows.integer(incident.resolvedAt, &w)
                w.key("resolved_by"); w.string(incident.resolvedBy)
                w.key("signal_count"); w.integer(incident.signalCount)
                w.key("flap_count"); w.integer(incident.flapCount)
                w.key("assignee"); w.string(incident.assignee)
                w.key("merged_into"); w.string(incident.mergedInto)
                w.key("evidence"); w.string(IncidentColumns.evidence(incident))
                w.key("updated_at"); w.integer(Int(incident.updatedAt))
                w.key("service"); w.string(incident.label("service"))
            }
        }
        let returned = try await self.rows(
            """
            INSERT INTO incidents (\(unescaped: Self.columns), service)
            SELECT \(unescaped: Self.columns), service FROM jsonb_to_recordset(\(rows.text)::jsonb) AS r(
                id text, number bigint, title text, severity text, severity_rank integer, status text, fingerprint text,
                detector text, name text, labels text, first_seen bigint, last_seen bigint, opened_at bigint,
                acknowledged_at bigint, acknowledged_by text, resolved_at bigint, resolved_by text, signal_count bigint,
                flap_count bigint, assignee text, merged_into text, evidence text, updated_at bigint, service text)
            ON CONFLICT (id) DO UPDATE SET \(unescaped: IncidentColumns.upsertAssignments), revision = incidents.revision + 1
            RETURNING id, revision
            """)
        let byID = Dictionary(incidents.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for row in returned {
            if let incident = byID[try row["id"].decode(String.self)] { saved.keep(incident, revision: try row["revision"].decode(Int64.self)) }
        }
    }

    /// Sends each fingerprint's signals to its incident, in one statement.
    func route(_ routes: [(fingerprint: String, incidentID: String)]) async throws {
        guard !routes.isEmpty else { return }
        try await execute(
            """
            INSERT INTO routes (fingerprint, incident_id)
            SELECT * FROM unnest(\(routes.map(\.fingerprint))::text[], \(routes.map(\.incidentID))::text[])
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
        try await append([(type, incident)], by: actor, at: time, note: note)[0]
    }

    /// Appends timeline events in order, and the outbox rows of those that notify, in two
    /// statements.
    func append(
        _ events: [(type: IncidentEventType, incident: Incident)], by actor: String, at time: Int64, note: IncidentNote? = nil
    ) async throws -> [IncidentChange] {
        guard !events.isEmpty else { return [] }
        var timeline = JSONRows(), changes: [IncidentChange] = []
        for (index, event) in events.enumerated() {
            let id = UUID().uuidString.lowercased()
            let json = self.events.encode(id: id, type: event.type, time: time, actor: actor, incident: event.incident, note: note)
            timeline.row { w in
                w.key("n", first: true); w.integer(index)
                w.key("id"); w.string(id)
                w.key("incident_id"); w.string(event.incident.id)
                w.key("type"); w.string(event.type.rawValue)
                w.key("notifies"); w.raw((event.type.notifies ? "true" : "false").utf8)
                w.key("event"); w.string(json)
            }
            changes.append(IncidentChange(type: event.type, incident: event.incident, actor: actor, eventID: id))
        }
        // The identity columns follow the array's order, so the timeline and the outbox keep it.
        try await execute(
            """
            WITH r AS (SELECT * FROM jsonb_to_recordset(\(timeline.text)::jsonb)
                AS r(n integer, id text, incident_id text, type text, notifies boolean, event text)),
            t AS (
                INSERT INTO timeline (id, incident_id, type, time, actor, event)
                SELECT id, incident_id, type, \(time), \(actor), event FROM r ORDER BY n RETURNING id)
            INSERT INTO outbox (event_id, incident_id, type, created_at)
            SELECT r.id, r.incident_id, r.type, \(time) FROM r JOIN t ON t.id = r.id WHERE r.notifies ORDER BY r.n
            """)
        if events.contains(where: { $0.type.notifies }) { notices.mark(.outbox) }
        return changes
    }

    /// Takes a lock on `key` (a text) until the transaction ends.
    func lock(_ key: String) async throws {
        try await execute("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))")
    }
}

/// Rows as one JSON array of objects, the text PostgreSQL's `jsonb_to_recordset` reads: a batch
/// of rows goes in one statement (and one round trip), written with the incidents' own JSON writer.
struct JSONRows {
    private var writer = IncidentJSONWriter()
    private var count = 0

    /// Adds an object whose members `body` writes (the first with `first: true`).
    mutating func row(_ body: (inout IncidentJSONWriter) -> Void) {
        writer.raw((count == 0 ? "[" : ",").utf8)
        count += 1
        writer.begin()
        body(&writer)
        writer.end()
    }

    /// The array's text.
    var text: String {
        var writer = writer
        writer.raw((count == 0 ? "[]" : "]").utf8)
        return writer.text
    }

    /// A decimal integer, or `null`.
    static func integer(_ value: Int64?, _ writer: inout IncidentJSONWriter) {
        if let value { writer.integer(Int(value)) } else { writer.raw("null".utf8) }
    }
}

/// Incidents decoded lately with the revision their row had: a row whose revision has not moved
/// since holds the same incident, so it need not be read and decoded again. Only what committed
/// transactions saved or read enters it; a revision is bumped by every save, by any vigild, so a
/// stale entry is never taken. Bounded: past `capacity` it starts over.
final class RevisionCache: Sendable {
    private let entries = Mutex<[String: (revision: Int64, incident: Incident)]>([:])
    let capacity: Int

    init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    func incident(_ id: String, revision: Int64) -> Incident? {
        entries.withLock { entries in entries[id].flatMap { $0.revision == revision ? $0.incident : nil } }
    }

    /// Takes what a committed transaction saved or read.
    func learn(_ pending: Pending) {
        let learned = pending.entries
        entries.withLock { entries in
            if entries.count + learned.count > capacity { entries = [:] }
            for (id, entry) in learned { entries[id] = entry }
        }
    }

    /// What one transaction saved or read, kept until it commits.
    final class Pending: Sendable {
        private let state = Mutex<[String: (revision: Int64, incident: Incident)]>([:])

        func keep(_ incident: Incident, revision: Int64) {
            state.withLock { $0[incident.id] = (revision, incident) }
        }

        var entries: [String: (revision: Int64, incident: Incident)] { state.withLock { $0 } }
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
