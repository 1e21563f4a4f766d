import Foundation
import GRDB
import Logging
import Testing
import VigilIncidentPostgres
import VigilIncidentStore
import VigilIncidents
import VigilTestSupport

/// Which ``IncidentStore`` a test runs against: every behaviour test runs on both.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// The backends this run tests: `VIGIL_TEST_BACKENDS` (comma-separated), else both. `make
    /// test` runs SQLite with the fast unit tests and PostgreSQL with the slow ones: a PostgreSQL
    /// client needs cooperative threads that the fast pass's CPU-bound tests hold for seconds.
    static let underTest: [Backend] = {
        guard let names = ProcessInfo.processInfo.environment["VIGIL_TEST_BACKENDS"] else { return allCases }
        return names.split(separator: ",").compactMap { Backend(rawValue: String($0)) }
    }()

    /// Whether this run tests PostgreSQL (the shared-store tests' condition).
    static var postgresUnderTest: Bool { underTest.contains(.postgres) }
}

/// A store for one test: an SQLite file in a scratch directory, or a fresh database on the test
/// process's PostgreSQL server; with raw SQL on the same database, for what the API does not show.
struct TestStore {
    let backend: Backend
    let store: any IncidentStore
    let scratch: Scratch
    /// The PostgreSQL database's URL.
    let url: String?

    static func open(_ backend: Backend, policy: IncidentsConfiguration = IncidentsConfiguration()) async throws -> TestStore {
        let scratch = Scratch()
        switch backend {
        case .sqlite:
            let store = try SQLiteIncidentStore(path: scratch.path + "/incidents.db", hostname: "test-host", policy: policy)
            return TestStore(backend: backend, store: store, scratch: scratch, url: nil)
        case .postgres:
            let url = try await PostgresServerProcess.shared().database()
            return TestStore(backend: backend, store: try await openPostgres(url, policy: policy), scratch: scratch, url: url)
        }
    }

    /// Another store on the same database (another vigild, or the same one restarted).
    func reopen(policy: IncidentsConfiguration = IncidentsConfiguration()) async throws -> any IncidentStore {
        switch backend {
        case .sqlite: return try SQLiteIncidentStore(path: scratch.path + "/incidents.db", hostname: "test-host", policy: policy)
        case .postgres: return try await Self.openPostgres(url!, policy: policy)
        }
    }

    static func openPostgres(_ url: String, policy: IncidentsConfiguration = IncidentsConfiguration()) async throws -> PostgresIncidentStore {
        var settings = PostgresSettings()
        let parts = URLComponents(string: url)!
        settings.host = parts.host!
        settings.port = parts.port!
        settings.user = parts.user!
        settings.database = String(parts.path.dropFirst())
        // The slow pass runs a hundred tests and several vigild at once on two CPUs: a connection
        // may take longer than the daemon's 10 s default, which these tests do not measure.
        settings.connectTimeout = 60_000_000_000
        var logger = Logger(label: "vigil.incidents.postgres")
        logger.logLevel = .warning
        return try await PostgresIncidentStore.open(settings: settings, hostname: "test-host", policy: policy, logger: logger)
    }

    /// The first column of every row `sql` returns, as text (SQL both databases understand).
    @discardableResult
    func sql(_ sql: String) async throws -> [String] {
        switch backend {
        case .sqlite:
            let queue = try DatabaseQueue(path: scratch.path + "/incidents.db")
            defer { try? queue.close() }
            return try await queue.write { db in
                try Row.fetchAll(db, sql: sql).map { $0[0].map { "\($0.databaseValue.storage.value ?? "")" } ?? "" }
            }
        case .postgres:
            let output = try await PostgresServerProcess.shared().psql(sql, database: PostgresServerProcess.name(of: url!))
            return output.isEmpty ? [] : output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    func remove() {
        scratch.remove()
    }
}
