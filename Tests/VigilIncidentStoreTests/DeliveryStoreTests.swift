import Foundation
import GRDB
import Testing
import VigilCore
import VigilIncidents
import VigilIncidentsTestSupport
import VigilTestSupport
@testable import VigilIncidentStore

/// The outbox as the webhook dispatcher sees it: routing, order per incident, attempts, dead
/// letters, retention and reminders, on a real SQLite file.
@Suite struct DeliveryStoreTests {
    let now = Signals.start
    let second = Signals.second

    func open(_ scratch: Scratch) throws -> SQLiteIncidentStore {
        try SQLiteIncidentStore(path: scratch.path + "/incidents.db", hostname: "test-host", policy: IncidentsConfiguration())
    }

    func attempt(_ due: DueDelivery, _ verdict: WebhookAttempt.Verdict, status: Int? = 200) -> WebhookAttempt {
        WebhookAttempt(delivery: due.delivery.sequence, startedAt: now, latency: 1_000_000, status: status, error: nil, response: nil, verdict: verdict)
    }

    @Test(arguments: Backend.underTest) func theOutboxIsRoutedToTheEndpointsThatWantEachEvent(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("api"), Signals.rule("web")], now: now)
        _ = try await store.resolve("INC-1", by: "ops", now: now + second)
        let (routed, queued) = try await store.routeOutbox(now: now + 2 * second) { event, incident in
            incident.label("service") == "api" ? ["all", "api-only"] : event == .opened ? ["all"] : []
        }
        #expect(routed == 3)
        #expect(queued == ["all": 3, "api-only": 2])
        // Routed once: a second pass finds nothing.
        #expect(try await store.routeOutbox(now: now + 3 * second) { _, _ in ["all"] }.routed == 0)
        let due = try await store.dueDeliveries(endpoint: "all", now: now + 2 * second, limit: 10)
        // INC-1's resolved waits behind its opened: one head per incident.
        #expect(due.map { "\($0.incident.reference) \($0.delivery.event)" } == ["INC-1 opened", "INC-2 opened"])
        #expect(due[0].incident.status == .firing)
        #expect(due[0].delivery.id.hasPrefix("msg_"))
    }

    @Test(arguments: Backend.underTest) func attemptsMoveDeliveriesOnAndFinishTheOutboxRow(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("api")], now: now)
        _ = try await store.resolve("INC-1", by: "ops", now: now)
        _ = try await store.routeOutbox(now: now) { _, _ in ["a", "b"] }
        var due = try await store.dueDeliveries(endpoint: "a", now: now, limit: 10)
        try await store.record([attempt(due[0], .retry(at: now + 5 * second), status: 503)])
        // Not due until the retry time; the resolved event stays behind it.
        #expect(try await store.dueDeliveries(endpoint: "a", now: now + second, limit: 10).isEmpty)
        #expect(try await store.nextDue(endpoint: "a") == now + 5 * second)
        due = try await store.dueDeliveries(endpoint: "a", now: now + 5 * second, limit: 10)
        #expect(due.map(\.delivery.attempts) == [1])
        try await store.record([attempt(due[0], .delivered)])
        due = try await store.dueDeliveries(endpoint: "a", now: now + 5 * second, limit: 10)
        #expect(due.map(\.delivery.event) == [.resolved])
        #expect(due[0].incident.status == .resolved)
        try await store.record([attempt(due[0], .dead, status: 400)])
        // b has not delivered yet: the outbox rows are not finished, so retention keeps INC-1.
        #expect(try await store.prune(endedBefore: now + 3600 * second) == 0)
        for due in try await store.dueDeliveries(endpoint: "b", now: now, limit: 10) { try await store.record([attempt(due, .delivered)]) }
        for due in try await store.dueDeliveries(endpoint: "b", now: now, limit: 10) { try await store.record([attempt(due, .delivered)]) }
        let queues = try await store.deliveryQueues()
        #expect(queues["a"]?.dead == 1 && queues["a"]?.pending == 0 && queues["b"] == nil)
        #expect(try await db.sql("SELECT COUNT(*) FROM delivery_attempts") == ["5"])
        #expect(try await store.prune(endedBefore: now + 3600 * second) == 1)
    }

    @Test(arguments: Backend.underTest) func aDeadDeliveryCanBeQueuedAgain(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("api"), Signals.rule("web")], now: now)
        _ = try await store.routeOutbox(now: now) { _, _ in ["a"] }
        let due = try await store.dueDeliveries(endpoint: "a", now: now, limit: 10)
        try await store.record(due.map { attempt($0, .dead, status: 404) })
        let dead = try await store.deliveries(states: [.dead])
        #expect(dead.count == 2 && dead.allSatisfy { $0.lastStatus == 404 && $0.finishedAt != nil })
        let again = try await store.retryDelivery(dead[0].id, now: now + second)
        #expect(again.state == .pending && again.id == dead[0].id && again.nextAttemptAt == now + second)
        #expect(try await store.retryDeadDeliveries(endpoint: nil, now: now + second) == 1)
        #expect(try await store.deliveries(states: [.pending]).count == 2)
        #expect(try await store.deliveries(incident: "INC-2").count == 1)
        await #expect(throws: IncidentStoreError.self) { _ = try await store.retryDelivery("msg_nope", now: now) }
    }

    @Test(arguments: Backend.underTest) func remindersGoToFiringIncidentsLastNotifiedLongAgo(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("api"), Signals.rule("web"), Signals.rule("db")], now: now)
        _ = try await store.acknowledge("INC-2", by: "ops", now: now)
        _ = try await store.routeOutbox(now: now) { _, incident in incident.label("service") == "db" ? [] : ["a"] }
        #expect(try await store.queueReminders(endpoint: "a", interval: 60 * second, now: now + 30 * second) { _ in true } == 0)
        // INC-1 is firing; INC-2 is acknowledged; INC-3 never went to "a".
        #expect(try await store.queueReminders(endpoint: "a", interval: 60 * second, now: now + 60 * second) { _ in true } == 1)
        let reminders = try await store.deliveries(endpoint: "a").filter { $0.event == .repeated }
        #expect(reminders.map(\.incidentReference) == ["INC-1"])
        #expect(try await store.queueReminders(endpoint: "a", interval: 60 * second, now: now + 61 * second) { _ in true } == 0)
    }

    @Test func outboxRowsFromBeforeWebhooksAreNotSent() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // A v1 database with an undelivered outbox row, as the previous vigild left it.
        let path = scratch.path + "/incidents.db"
        do {
            let store = try open(scratch)
            _ = try await store.apply([Signals.rule("api")], now: now)
            try store.close()
        }
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE delivery_attempts; DROP TABLE deliveries; DROP TABLE disabled_endpoints; DROP INDEX outbox_unrouted")
            try db.execute(sql: "DROP INDEX incidents_by_service; ALTER TABLE incidents DROP COLUMN service")
            try db.execute(sql: "ALTER TABLE outbox DROP COLUMN routed_at; UPDATE outbox SET delivered_at = NULL")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v2:%' OR identifier LIKE 'v3:%'")
        }
        try queue.close()
        let store = try open(scratch)
        #expect(try await store.routeOutbox(now: now) { _, _ in ["a"] }.routed == 0)
        let delivered = try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL") }
        #expect(delivered == 1)
        // The migration filled the new service column: the filter finds the old incident.
        var query = IncidentQuery()
        query.service = "api"
        #expect(try await store.incidents(query).incidents.map(\.reference) == ["INC-1"])
    }
}
