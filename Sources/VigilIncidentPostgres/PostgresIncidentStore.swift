import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization
import VigilCore
import VigilIncidents

/// The incidents of several vigild, in one PostgreSQL database they share (`[incidents] backend =
/// "postgres"`): the same tables, lifecycle and API as ``IncidentStore``'s SQLite implementation.
///
/// Sharing is made safe by PostgreSQL's locks, held to each transaction's end:
/// - a batch of signals first takes an advisory lock per fingerprint (in one statement, in a fixed
///   order), so two vigild opening the same fingerprint at once make one incident: the second
///   waits, then finds the first one's route and updates that incident;
/// - it then locks the rows of the incidents those fingerprints route to, as actions (acknowledge,
///   resolve, merge) do, so a change never overwrites another made meanwhile;
/// - incident numbers come from a counter row, locked to the commit, so they have no gaps;
/// - the webhook outbox is routed and deliveries are claimed with `FOR UPDATE SKIP LOCKED`, a claim
///   lasting a lease (a vigild that dies mid-delivery leaves it to another once the lease ends), so
///   several vigild deliver each webhook once between them.
/// A transaction PostgreSQL aborts for a deadlock or a serialisation failure is run again.
///
/// Commits that queue notifications or deliveries send `NOTIFY vigil_incidents`; every vigild
/// listens, so each one's dispatcher wakes for the others' changes without polling.
public final class PostgresIncidentStore: IncidentStore {
    /// How signals become incidents.
    public let policy: IncidentsConfiguration
    /// Where the database is.
    public let settings: PostgresSettings

    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let listener = Mutex<Task<Void, Never>?>(nil)
    private let events: CloudEventEncoder
    private let logger: Logger
    private let observers = Mutex<Observers>(Observers())
    private let cache = RevisionCache()

    private struct Observers {
        var outbox: (@Sendable () -> Void)?
        var deliveries: (@Sendable () -> Void)?
    }

    /// The `LISTEN`/`NOTIFY` channel.
    static let channel = "vigil_incidents"
    /// How often a transaction aborted by a deadlock or serialisation failure is tried in all.
    static let attempts = 5

    /// Connects, and creates or migrates the schema. Refuses a database holding another
    /// application's tables, or one migrated by a newer vigild; nothing is changed then.
    public static func open(
        settings: PostgresSettings, hostname: String, policy: IncidentsConfiguration,
        logger: Logger = Logger(label: "vigil.incidents.postgres")
    ) async throws(IncidentStoreError) -> PostgresIncidentStore {
        let store: PostgresIncidentStore
        do {
            store = try PostgresIncidentStore(settings: settings, hostname: hostname, policy: policy, logger: logger)
        } catch {
            throw .database(path: settings.displayURL, reason: "\(error)")
        }
        do throws(IncidentStoreError) {
            try await store.withDeadline(settings.connectTimeout) { () async throws(IncidentStoreError) in try await store.migrate() }
        } catch {
            await store.shutDown()
            throw error
        }
        store.listen()
        return store
    }

    private init(settings: PostgresSettings, hostname: String, policy: IncidentsConfiguration, logger: Logger) throws {
        self.settings = settings
        self.policy = policy
        self.logger = logger
        events = CloudEventEncoder(hostname: hostname)
        let tls: PostgresClient.Configuration.TLS
        switch settings.tls {
        case .disable: tls = .disable
        case .prefer, .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tls = settings.tls == .prefer ? .prefer(configuration) : .require(configuration)
        case .verifyFull: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: settings.password,
            database: settings.database, tls: tls)
        // One more than asked: the listener holds one for good.
        configuration.options.maximumConnections = settings.connections + 1
        configuration.options.connectTimeout = .nanoseconds(settings.connectTimeout)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    // MARK: - Schema

    private func migrate() async throws(IncidentStoreError) {
        try await transaction { tx in
            try await tx.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))")
            let tables = try await tx.rows(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
            ).map { try $0["table_name"].decode(String.self) }
            var applied: Set<Int> = []
            if tables.contains(PostgresSchema.versionTable) {
                for row in try await tx.rows("SELECT version FROM \(unescaped: PostgresSchema.versionTable)") {
                    applied.insert(try row["version"].decode(Int.self))
                }
            } else if !tables.isEmpty {
                throw IncidentStoreError.foreign(
                    path: self.settings.displayURL, reason: "it holds tables \(tables.prefix(5).joined(separator: ", "))")
            } else {
                try await tx.execute(
                    """
                    CREATE TABLE \(unescaped: PostgresSchema.versionTable) (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """)
            }
            let known = Set(PostgresSchema.migrations.map(\.version))
            if let newer = applied.subtracting(known).max() {
                throw IncidentStoreError.newerSchema(path: self.settings.displayURL, migrations: ["\(newer)"])
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                for statement in migration.sql { try await tx.execute(PostgresQuery(unsafeSQL: statement)) }
                try await tx.execute(
                    "INSERT INTO \(unescaped: PostgresSchema.versionTable) (version, name) VALUES (\(migration.version), \(migration.name))")
                self.logger.info("incident database migrated", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
    }

    // MARK: - Signals

    public func apply(_ signals: [IncidentSignal], now: Int64) async throws(IncidentStoreError) -> [IncidentChange] {
        guard !signals.isEmpty else { return [] }
        let policy = policy
        return try await transaction { tx in
            let fingerprints = Array(Set(signals.map(\.fingerprint))).sorted()
            // One statement takes every fingerprint's lock, in a fixed order, so two batches
            // sharing fingerprints wait for each other instead of deadlocking.
            try await tx.execute(
                """
                SELECT pg_advisory_xact_lock(k) FROM (
                    SELECT hashtextextended(f, 0) AS k FROM unnest(\(fingerprints)::text[]) AS f ORDER BY 1) AS keys
                """)
            var lookup = try await PostgresSignalLookup.load(fingerprints, in: tx)
            var batch = SignalBatch(policy: policy, now: now)
            for signal in signals { try batch.apply(signal, lookup: &lookup) }
            let plan = batch.plan(firstNumber: batch.openedCount > 0 ? try await tx.takeNumbers(batch.openedCount) : 1)
            try await tx.save(plan.incidents)
            try await tx.route(plan.newRoutes)
            return try await tx.append(plan.events, by: "auto", at: now)
        }
    }

    public func resolveQuiet(now: Int64) async throws(IncidentStoreError) -> [IncidentChange] {
        guard policy.resolveOn == .quiet else { return [] }
        let policy = policy
        return try await transaction { tx in
            // Another vigild resolving the same ones holds their locks: they are its to resolve.
            let quiet = try await tx.rows(
                """
                SELECT \(unescaped: PostgresTransaction.columns) FROM incidents
                WHERE status IN ('firing', 'acknowledged') AND last_seen <= \(now &- policy.resolveAfter)
                ORDER BY id FOR UPDATE SKIP LOCKED
                """
            ).map(PostgresTransaction.incident)
            let resolved = quiet.compactMap { IncidentLifecycle.quietResolution(of: $0, policy: policy, now: now) }
            try await tx.save(resolved)
            return try await tx.append(resolved.map { (.resolved, $0) }, by: "auto", at: now)
        }
    }

    // MARK: - Actions

    public func addNote(_ reference: String, text: String, by actor: String, now: Int64) async throws(IncidentStoreError) -> IncidentChange {
        try await transaction { tx in
            var incident = try await tx.existing(reference, lock: true)
            incident.updatedAt = now
            let note = IncidentNote(author: actor, text: text, time: now)
            try await tx.execute("INSERT INTO notes (incident_id, author, text, time) VALUES (\(incident.id), \(actor), \(text), \(now))")
            try await tx.save(incident)
            return try await tx.append(.noteAdded, about: incident, by: actor, at: now, note: note)
        }
    }

    public func merge(_ source: String, into target: String, by actor: String, now: Int64) async throws(IncidentStoreError) -> [IncidentChange] {
        let policy = policy
        return try await transaction { tx in
            // Both rows locked in id order, as every transaction locks incidents, so two merges of
            // the same pair cannot deadlock.
            let ids = [try await tx.existing(source).id, try await tx.existing(target).id]
            var locked: [String: Incident] = [:]
            for id in Set(ids).sorted() { locked[id] = try await tx.incident(id: id, lock: true) }
            guard let from = locked[ids[0]], let into = locked[ids[1]] else { throw IncidentStoreError.notFound(source) }
            let merged: (source: Incident, target: Incident, targetEvent: IncidentEventType)
            do throws(IncidentTransitionError) {
                merged = try IncidentLifecycle.merge(from, into: into, policy: policy, now: now)
            } catch .mergeIntoMerged(let incident, let target, _) {
                let final = try await tx.followingMerges(into, lock: false)
                throw IncidentStoreError.transition(
                    .mergeIntoMerged(incident: incident, target: target, finalTarget: final?.status == .merged ? nil : final?.reference))
            } catch {
                throw IncidentStoreError.transition(error)
            }
            try await tx.save(merged.source)
            try await tx.save(merged.target)
            try await tx.execute("UPDATE routes SET incident_id = \(merged.target.id) WHERE incident_id = \(merged.source.id)")
            return [
                try await tx.append(.merged, about: merged.source, by: actor, at: now),
                try await tx.append(merged.targetEvent, about: merged.target, by: actor, at: now),
            ]
        }
    }

    /// Runs a one-incident action in a transaction: lock, change, save, record.
    public func act(
        on reference: String, _ type: IncidentEventType, by actor: String, now: Int64,
        _ change: @escaping @Sendable (Incident) throws(IncidentTransitionError) -> Incident
    ) async throws(IncidentStoreError) -> IncidentChange {
        try await transaction { tx in
            let incident = try await tx.existing(reference, lock: true)
            let changed: Incident
            do throws(IncidentTransitionError) {
                changed = try change(incident)
            } catch {
                throw IncidentStoreError.transition(error)
            }
            try await tx.save(changed)
            return try await tx.append(type, about: changed, by: actor, at: now)
        }
    }

    // MARK: - Observers

    public func observeOutbox(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.outbox = observer }
    }

    public func observeDeliveries(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.deliveries = observer }
    }

    /// Listens on the channel for good, on a connection of its own, reconnecting after a failure.
    private func listen() {
        let task = Task { [client, logger] in
            var delay = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { notifications in
                            delay = .milliseconds(100)
                            // Anything may have happened while not listening.
                            self.notice([NoticeMark.Notice.outbox.rawValue, NoticeMark.Notice.deliveries.rawValue])
                            for try await notification in notifications { self.notice([notification.payload]) }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("not listening for other vigild's incident changes", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        listener.withLock { $0 = task }
    }

    private func notice(_ payloads: Set<String>) {
        let observers = observers.withLock { $0 }
        if payloads.contains(NoticeMark.Notice.outbox.rawValue) { observers.outbox?() }
        if payloads.contains(NoticeMark.Notice.deliveries.rawValue) { observers.deliveries?() }
    }

    // MARK: - Transactions

    /// Runs `body` in a transaction, again when PostgreSQL aborted it for a deadlock or a
    /// serialisation failure; tells the other vigild what it changed once it committed.
    @discardableResult
    func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws(IncidentStoreError) -> T {
        var attempt = 0
        while true {
            attempt += 1
            let notices = NoticeMark()
            let events = events, logger = logger, cache = cache
            let pending = RevisionCache.Pending()
            do {
                let result = try await client.withTransaction(logger: logger) { connection in
                    let tx = PostgresTransaction(
                        connection: connection, logger: logger, events: events, notices: notices, cache: cache, saved: pending)
                    let result = try await body(tx)
                    for notice in notices.notices { try await tx.execute("SELECT pg_notify(\(Self.channel), \(notice))") }
                    return result
                }
                cache.learn(pending)
                if notices.notices.contains(NoticeMark.Notice.outbox.rawValue) { observers.withLock { $0.outbox }?() }
                return result
            } catch {
                let failure = Self.unwrap(error)
                if attempt < Self.attempts, Self.isRetryable(failure) {
                    logger.debug("incident transaction retried", metadata: ["attempt": "\(attempt)", "error": "\(Self.describe(failure))"])
                    try? await Task.sleep(for: .milliseconds(Int.random(in: 5...50) * attempt))
                    continue
                }
                throw wrap(failure)
            }
        }
    }

    /// Runs `body` on a pooled connection, outside a transaction (reads).
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws(IncidentStoreError) -> T {
        let events = events, logger = logger, cache = cache
        do {
            return try await client.withConnection { connection in
                // What a read sees is never learned: the cache takes only what a locking transaction saw.
                try await body(
                    PostgresTransaction(
                        connection: connection, logger: logger, events: events, notices: NoticeMark(), cache: cache,
                        saved: RevisionCache.Pending()))
            }
        } catch {
            throw wrap(Self.unwrap(error))
        }
    }

    /// Fails with a clear error when `body` takes longer than `timeout` ns (the pool retries an
    /// unreachable server for ever).
    private func withDeadline(_ timeout: Int64, _ body: @escaping @Sendable () async throws(IncidentStoreError) -> Void) async throws(IncidentStoreError) {
        let url = settings.displayURL
        let outcome = await withTaskGroup(of: IncidentStoreError?.self) { group in
            group.addTask {
                do throws(IncidentStoreError) {
                    try await body()
                    return nil
                } catch {
                    return error
                }
            }
            group.addTask {
                try? await Task.sleep(for: .nanoseconds(timeout))
                return Task.isCancelled ? nil : .database(path: url, reason: "no answer within \(timeout / 1_000_000_000) s; is PostgreSQL running there, and does it accept vigild's login?")
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        if let outcome { throw outcome }
    }

    /// The error inside postgres-nio's transaction wrapper.
    static func unwrap(_ error: any Error) -> any Error {
        if let error = error as? PostgresTransactionError {
            return error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError ?? error
        }
        return error
    }

    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        // serialization_failure, deadlock_detected, unique_violation (a race the locks did not cover).
        return ["40001", "40P01", "23505"].contains(state)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    private func wrap(_ error: any Error) -> IncidentStoreError {
        if let error = error as? IncidentStoreError { return error }
        return .database(path: settings.displayURL, reason: Self.describe(error))
    }

    /// Stops listening and closes every connection.
    public func close() async throws(IncidentStoreError) {
        await shutDown()
    }

    private func shutDown() async {
        listener.withLock { $0 }?.cancel()
        running.cancel()
        await running.value
    }
}
