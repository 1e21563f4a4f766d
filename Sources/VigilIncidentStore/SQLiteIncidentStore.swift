import Foundation
import GRDB
import Synchronization
import VigilIncidents
import VigilCore

/// The incidents of one vigild: an SQLite database (`<data_dir>/incidents.db`, WAL mode) holding
/// incidents, the routes from fingerprints to them, their append-only timeline, notes and the
/// outbox of notifications to deliver.
///
/// Every change (a batch of signals, or one action) is one transaction that writes the incident
/// rows, their timeline events and the outbox rows together, so a crash leaves all of a change or
/// none of it. Writes are serialised by GRDB's writer; reads run beside them on snapshots.
///
/// `synchronous = FULL`: a commit returns once the WAL is on disk, so an acknowledgement answered
/// to a client or a notification queued in the outbox survives a power loss, as an appended log
/// record does with `fsync = "batch"`. Signals are applied in batches, so a storm costs few fsyncs.
///
/// All calls are `async`: they run on GRDB's own threads, never blocking the cooperative pool.
public final class SQLiteIncidentStore: IncidentStore {
    /// The database file.
    public let path: String
    /// How signals become incidents.
    public let policy: IncidentsConfiguration
    private let pool: DatabasePool
    private let events: CloudEventEncoder
    /// The writer's cache of recently touched incidents (see ``IncidentCache``).
    let cache = IncidentCache()
    private let outboxObserver = Mutex<(@Sendable () -> Void)?>(nil)

    /// The file name inside the data directory.
    public static let fileName = "incidents.db"

    /// Opens (creating, or migrating to the current schema) the database at `path`. Refuses a file
    /// that is not SQLite, another application's database, or one written by a newer vigild; the
    /// file is never changed or deleted then.
    public init(path: String, hostname: String, policy: IncidentsConfiguration) throws(IncidentStoreError) {
        self.path = path
        self.policy = policy
        events = CloudEventEncoder(hostname: hostname)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.label = "vigil.incidents"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            try Self.checkOwnership(path)
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = IncidentSchema.migrator
            try pool.write { db in
                let applied = try migrator.appliedIdentifiers(db)
                if try migrator.hasBeenSuperseded(db) {
                    throw IncidentStoreError.newerSchema(path: path, migrations: applied.sorted())
                }
            }
            try migrator.migrate(pool)
        } catch let error as IncidentStoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw .foreign(path: path, reason: error.message ?? "not an SQLite database")
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    /// Refuses an existing SQLite file whose `application_id` is another application's, or that
    /// has tables but not ours, before anything is written to it.
    private static func checkOwnership(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try queue.read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            if applicationID != 0, applicationID != IncidentSchema.applicationID {
                throw IncidentStoreError.foreign(path: path, reason: "application_id \(applicationID)")
            }
            if applicationID == 0, !tables.isEmpty {
                throw IncidentStoreError.foreign(path: path, reason: "it holds tables \(tables.prefix(5).joined(separator: ", "))")
            }
        }
    }

    // MARK: - Signals

    /// Applies `signals` in order, in one transaction: opens, updates, reopens and resolves
    /// incidents. Repeated `updated` events of one incident within the batch are folded into one
    /// (its timeline keeps one entry per batch, not one per signal).
    public func apply(_ signals: [IncidentSignal], now: Int64) async throws(IncidentStoreError) -> [IncidentChange] {
        guard !signals.isEmpty else { return [] }
        let policy = policy
        let cache = cache
        return try await write { rows in
            var batch = SignalBatch(policy: policy, now: now)
            var lookup = SQLiteSignalLookup(rows: rows, cache: cache)
            for signal in signals { try batch.apply(signal, lookup: &lookup) }
            return try rows.commit(batch, cache: cache)
        }
    }

    /// Resolves open incidents quiet for `resolve_after` (when `resolve_on = "quiet"`), `now`
    /// being the current event time.
    public func resolveQuiet(now: Int64) async throws(IncidentStoreError) -> [IncidentChange] {
        guard policy.resolveOn == .quiet else { return [] }
        let policy = policy, cache = cache
        return try await write { rows in
            let cutoff = now &- policy.resolveAfter
            let quiet = try Row.fetchAll(
                rows.db,
                sql: "SELECT \(IncidentRows.columns) FROM incidents WHERE status IN ('firing', 'acknowledged') AND last_seen <= ?",
                arguments: [cutoff]
            ).map(IncidentRows.incident)
            var changes: [IncidentChange] = []
            for incident in quiet {
                guard let resolved = IncidentLifecycle.quietResolution(of: incident, policy: policy, now: now) else { continue }
                try rows.save(resolved)
                cache.forget(resolved.id)
                changes.append(try rows.append(.resolved, about: resolved, by: "auto", at: now))
            }
            return changes
        }
    }

    // MARK: - Actions

    /// Adds a note.
    public func addNote(_ reference: String, text: String, by actor: String, now: Int64) async throws(IncidentStoreError) -> IncidentChange {
        let cache = cache
        return try await write { rows in
            var incident = try rows.existing(reference)
            cache.forget(incident.id)
            incident.updatedAt = now
            let note = IncidentNote(author: actor, text: text, time: now)
            try rows.db.execute(
                sql: "INSERT INTO notes (incident_id, author, text, time) VALUES (?, ?, ?, ?)",
                arguments: [incident.id, actor, text, now])
            try rows.save(incident)
            return try rows.append(.noteAdded, about: incident, by: actor, at: now, note: note)
        }
    }

    /// Merges `source` into `target`: the source becomes `merged`, its fingerprints now route to the
    /// target, and its signal count and evidence move there. Returns the source's `merged` change
    /// and the target's.
    public func merge(
        _ source: String, into target: String, by actor: String, now: Int64
    ) async throws(IncidentStoreError) -> [IncidentChange] {
        let policy = policy, cache = cache
        return try await write { rows in
            // Fingerprints are re-routed: what the cache knows of routes no longer holds.
            cache.clear()
            let from = try rows.existing(source), into = try rows.existing(target)
            let merged: (source: Incident, target: Incident, targetEvent: IncidentEventType)
            do throws(IncidentTransitionError) {
                merged = try IncidentLifecycle.merge(from, into: into, policy: policy, now: now)
            } catch .mergeIntoMerged(let incident, let target, _) {
                // Name the incident it went into, so the answer says where to merge instead.
                var final = into
                for _ in 0..<16 {
                    guard let next = try final.mergedInto.flatMap({ try rows.incident(id: $0) }) else { break }
                    final = next
                }
                throw IncidentStoreError.transition(.mergeIntoMerged(incident: incident, target: target, finalTarget: final.status == .merged ? nil : final.reference))
            } catch {
                throw IncidentStoreError.transition(error)
            }
            try rows.save(merged.source)
            try rows.save(merged.target)
            try rows.reroute(from: merged.source.id, to: merged.target.id)
            return [
                try rows.append(.merged, about: merged.source, by: actor, at: now),
                try rows.append(merged.targetEvent, about: merged.target, by: actor, at: now),
            ]
        }
    }

    /// Runs a one-incident action in a write transaction: load, change, save, record.
    public func act(
        on reference: String, _ type: IncidentEventType, by actor: String, now: Int64,
        _ change: @escaping @Sendable (Incident) throws(IncidentTransitionError) -> Incident
    ) async throws(IncidentStoreError) -> IncidentChange {
        let cache = cache
        return try await write { rows in
            let incident = try rows.existing(reference)
            cache.forget(incident.id)
            let changed: Incident
            do throws(IncidentTransitionError) {
                changed = try change(incident)
            } catch {
                throw IncidentStoreError.transition(error)
            }
            try rows.save(changed)
            return try rows.append(type, about: changed, by: actor, at: now)
        }
    }

    // MARK: - Access

    /// Calls `observer` after every commit that queued a notification in the outbox (the webhook
    /// dispatcher wakes on it).
    public func observeOutbox(_ observer: @escaping @Sendable () -> Void) {
        outboxObserver.withLock { $0 = observer }
    }

    /// Runs `body` in a write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (IncidentRows) throws -> T) async throws(IncidentStoreError) -> T {
        let events = events
        let mark = OutboxMark()
        do {
            let result = try await pool.write { db in try body(IncidentRows(db: db, events: events, outboxWritten: mark)) }
            if mark.isSet, let observer = outboxObserver.withLock({ $0 }) { observer() }
            return result
        } catch {
            // The transaction rolled back: the cache may hold what it wrote.
            cache.clear()
            throw wrap(error)
        }
    }

    /// Runs `body` in a read transaction (a snapshot; writes go on beside it).
    func read<T: Sendable>(_ body: @escaping @Sendable (IncidentRows) throws -> T) async throws(IncidentStoreError) -> T {
        let events = events
        do {
            return try await pool.read { db in try body(IncidentRows(db: db, events: events)) }
        } catch {
            throw wrap(error)
        }
    }

    private func wrap(_ error: any Error) -> IncidentStoreError {
        if let error = error as? IncidentStoreError { return error }
        if let error = error as? DatabaseError {
            return .database(path: path, reason: error.message ?? error.description)
        }
        return .database(path: path, reason: "\(error)")
    }

    /// Never called: only this vigild's own dispatcher queues deliveries here.
    public func observeDeliveries(_ observer: @escaping @Sendable () -> Void) {}

    /// Checkpoints the WAL and closes the database.
    public func close() throws(IncidentStoreError) {
        do {
            pool.writeWithoutTransaction { db in _ = try? db.checkpoint(.truncate) }
            try pool.close()
        } catch {
            throw wrap(error)
        }
    }
}
