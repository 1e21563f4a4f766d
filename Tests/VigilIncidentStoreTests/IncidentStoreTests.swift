import Foundation
import GRDB
import Testing
import VigilIncidentsTestSupport
import VigilCore
import VigilDetect
import VigilTestSupport
@testable import VigilIncidentStore
import VigilIncidents
import VigilIncidentPostgres

@Suite struct IncidentStoreTests {
    let now = Signals.start
    let minute: Int64 = 60 * Signals.second

    func open(_ scratch: Scratch, policy: IncidentsConfiguration = IncidentsConfiguration()) throws -> SQLiteIncidentStore {
        try SQLiteIncidentStore(path: scratch.path + "/incidents.db", hostname: "test-host", policy: policy)
    }

    @Test(arguments: Backend.underTest) func aSignalOpensOneIncidentAndRepeatsUpdateIt(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        let opened = try await store.apply([Signals.rule()], now: now)
        #expect(opened.map(\.type) == [.opened])
        #expect(opened[0].incident.reference == "INC-1")
        _ = try await store.apply([Signals.rule(at: now + minute)], now: now + minute)
        let page = try await store.incidents(IncidentQuery())
        #expect(page.incidents.count == 1)
        #expect(page.incidents[0].signalCount == 2)
        #expect(page.incidents[0].lastSeen == now + minute)
        #expect(try await store.timeline("INC-1").map(\.type) == [.opened, .updated])
        #expect(try await db.sql("SELECT type FROM outbox ORDER BY sequence") == ["opened"])
    }

    @Test(arguments: Backend.underTest) func aStormOfOneFingerprintIsOneIncidentWithTheExactCount(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        for batch in 0..<10 {
            let signals = (0..<1000).map { Signals.rule(at: now + Int64(batch * 1000 + $0)) }
            _ = try await store.apply(signals, now: now)
        }
        let incident = try await store.incident("INC-1")
        #expect(incident.signalCount == 10_000)
        #expect(try await store.incidents(IncidentQuery()).incidents.count == 1)
        // One `opened`, then the repeats: recorded at most once a minute, the row always exact.
        #expect(try await store.timeline("INC-1").map(\.type) == [.opened, .updated])
        _ = try await store.apply([Signals.rule()], now: now + 59 * Signals.second)
        #expect(try await store.timeline("INC-1").count == 2)
        _ = try await store.apply([Signals.rule()], now: now + 61 * Signals.second)
        let timeline = try await store.timeline("INC-1")
        #expect(timeline.map(\.type) == [.opened, .updated, .updated])
        #expect(try await store.incident("INC-1").signalCount == 10_002)
        #expect(timeline.last?.json.contains(#""signal_count":10002"#) == true)
    }

    @Test(arguments: Backend.underTest) func distinctFingerprintsAtOnceAreOneIncidentEachNumberedInOrder(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        let signals = (0..<1000).map { Signals.rule("svc-\($0)") }
        let changes = try await store.apply(signals + signals, now: now)
        #expect(changes.filter { $0.type == .opened }.count == 1000)
        var query = IncidentQuery()
        query.limit = 1000
        let all = try await store.incidents(query).incidents
        #expect(all.count == 1000)
        #expect(Set(all.map(\.number)) == Set(1...1000))
        #expect(all.allSatisfy { $0.signalCount == 2 })
        #expect(try await store.incident("INC-1").label("service") == "svc-0")
    }

    @Test(arguments: Backend.underTest) func pagesFollowTheCursorAndFiltersApply(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply((0..<120).map { Signals.rule("svc-\($0)", severity: $0 % 2 == 0 ? .error : .warning) }, now: now)
        _ = try await store.acknowledge("INC-5", by: "ops", now: now)
        var query = IncidentQuery()
        var seen: [Int] = []
        while true {
            let page = try await store.incidents(query)
            seen += page.incidents.map(\.number)
            guard let next = page.nextCursor else { break }
            query.cursor = next
        }
        #expect(seen == Array((1...120).reversed()))
        var filtered = IncidentQuery()
        filtered.statuses = [.acknowledged]
        #expect(try await store.incidents(filtered).incidents.map(\.number) == [5])
        filtered = IncidentQuery()
        filtered.severities = [.warning]
        filtered.limit = 1000
        #expect(try await store.incidents(filtered).incidents.count == 60)
        filtered = IncidentQuery()
        filtered.text = "SVC-11"
        #expect(Set(try await store.incidents(filtered).incidents.map(\.number)) == [12, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120])
        filtered.text = "%"
        #expect(try await store.incidents(filtered).incidents.isEmpty)
    }

    @Test(arguments: Backend.underTest) func actionsChangeTheRowAndRecordTheirEvents(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule()], now: now)
        _ = try await store.acknowledge("inc-1", by: "ops", now: now + 1)
        _ = try await store.assign("1", to: "alice", by: "ops", now: now + 2)
        _ = try await store.addNote("INC-1", text: "looking", by: "ops", now: now + 3)
        _ = try await store.resolve("INC-1", by: "ops", now: now + 4)
        _ = try await store.reopen("INC-1", by: "ops", now: now + 5)
        let incident = try await store.incident("INC-1")
        #expect(incident.status == .firing && incident.assignee == "alice" && incident.acknowledgedBy == "ops")
        #expect(try await store.incident(incident.id).number == 1)
        let timeline = try await store.timeline("INC-1")
        #expect(timeline.map(\.type) == [.opened, .acknowledged, .updated, .noteAdded, .resolved, .reopened])
        #expect(timeline.map(\.actor) == ["auto", "ops", "ops", "ops", "ops", "ops"])
        #expect(try await store.notes("INC-1") == [IncidentNote(author: "ops", text: "looking", time: now + 3)])
        #expect(try await db.sql("SELECT type FROM outbox ORDER BY sequence") == ["opened", "acknowledged", "resolved", "reopened"])
    }

    @Test(arguments: Backend.underTest) func actionsBetweenBatchesAreNotUndoneByTheWritersCache(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("a"), Signals.rule("b")], now: now)
        _ = try await store.acknowledge("INC-1", by: "ops", now: now + 1)
        _ = try await store.assign("INC-2", to: "alice", by: "ops", now: now + 1)
        _ = try await store.apply([Signals.rule("a"), Signals.rule("b")], now: now + 2)
        let first = try await store.incident("INC-1"), second = try await store.incident("INC-2")
        #expect(first.status == .acknowledged && first.signalCount == 2)
        #expect(second.assignee == "alice" && second.signalCount == 2)
        _ = try await store.resolve("INC-1", by: "ops", now: now + 3)
        _ = try await store.apply([Signals.rule("a", status: .resolved)], now: now + 4)
        #expect(try await store.timeline("INC-1").map(\.type) == [.opened, .acknowledged, .updated, .resolved])
    }

    @Test(arguments: Backend.underTest) func anIllegalActionChangesNothing(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule()], now: now)
        _ = try await store.resolve("INC-1", by: "ops", now: now)
        let before = try await store.incident("INC-1")
        await #expect {
            _ = try await store.acknowledge("INC-1", by: "ops", now: now + 1)
        } throws: { error in
            "\(error)" == "cannot acknowledge INC-1: it is resolved; only a firing incident can be acknowledged"
        }
        #expect(try await store.incident("INC-1") == before)
        #expect(try await store.timeline("INC-1").count == 2)
        await #expect {
            _ = try await store.acknowledge("INC-404", by: "ops", now: now)
        } throws: { error in
            guard case IncidentStoreError.notFound("INC-404") = error else { return false }
            return true
        }
    }

    @Test(arguments: Backend.underTest) func aMergedIncidentsFingerprintRoutesToTheTarget(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("a"), Signals.rule("b"), Signals.rule("c")], now: now)
        let changes = try await store.merge("INC-1", into: "INC-2", by: "ops", now: now + 1)
        #expect(changes.map(\.type) == [.merged, .updated])
        _ = try await store.apply([Signals.rule("a", at: now + minute)], now: now + minute)
        let target = try await store.incident("INC-2")
        #expect(target.signalCount == 3)
        #expect(target.lastSeen == now + minute)
        #expect(try await store.incident("INC-1").status == .merged)
        #expect(try await store.incident("INC-1").signalCount == 1)
        // B merged into C: A's fingerprint follows.
        _ = try await store.merge("INC-2", into: "INC-3", by: "ops", now: now + 2)
        _ = try await store.apply([Signals.rule("a", at: now + 2 * minute)], now: now + 2 * minute)
        #expect(try await store.incident("INC-3").signalCount == 5)
        await #expect {
            _ = try await store.merge("INC-3", into: "INC-1", by: "ops", now: now)
        } throws: { "\($0)" == "cannot merge INC-3 into INC-1: INC-1 is merged (into INC-3); merge into INC-3 instead" }
        await #expect {
            _ = try await store.merge("INC-3", into: "INC-3", by: "ops", now: now)
        } throws: { "\($0)" == "cannot merge INC-3 into itself" }
    }

    @Test(arguments: Backend.underTest) func aFlapReopensTheSameIncidentAndLaterOnesOpenANewOne(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        let hour = 60 * minute
        _ = try await store.apply([Signals.rule()], now: now)
        _ = try await store.apply([Signals.rule(status: .resolved)], now: now + minute)
        let reopened = try await store.apply([Signals.rule()], now: now + 2 * minute)
        #expect(reopened.map(\.type) == [.reopened])
        #expect(try await store.incident("INC-1").flapCount == 1)
        _ = try await store.apply([Signals.rule(status: .resolved)], now: now + 3 * minute)
        let fresh = try await store.apply([Signals.rule()], now: now + 3 * minute + hour + 1)
        #expect(fresh.map(\.type) == [.opened])
        #expect(fresh[0].incident.reference == "INC-2")
    }

    @Test(arguments: Backend.underTest) func racingClientsActExactlyOnce(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("a"), Signals.rule("b")], now: now)
        let outcomes = await withTaskGroup(of: String.self) { group in
            for client in 0..<20 {
                group.addTask {
                    do {
                        switch client % 3 {
                        case 0: _ = try await store.acknowledge("INC-1", by: "c\(client)", now: now)
                        case 1: _ = try await store.resolve("INC-1", by: "c\(client)", now: now)
                        default: _ = try await store.merge("INC-1", into: "INC-2", by: "c\(client)", now: now)
                        }
                        return "ok"
                    } catch {
                        return "refused"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        let timeline = try await store.timeline("INC-1")
        let final = try await store.incident("INC-1")
        // Every accepted action is one event; the final row is what the last event says.
        #expect(outcomes.filter { $0 == "ok" }.count == timeline.count - 1)
        let last = try JSONSerialization.jsonObject(with: Data(timeline.last!.json.utf8)) as! [String: Any]
        #expect((last["data"] as! [String: Any])["status"] as? String == final.status.rawValue)
        #expect(timeline.filter { $0.type == .acknowledged }.count <= 1)
        #expect(timeline.filter { $0.type == .merged }.count <= 1)
        #expect(timeline.filter { $0.type == .resolved }.count <= 1)
    }

    @Test(arguments: Backend.underTest) func timelineEventsAreCloudEvents(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        let changes = try await store.apply([Signals.rule(records: 2)], now: now)
        let event = try #require(try await store.timeline("INC-1").first)
        #expect(event.id == changes[0].eventID)
        let json = try JSONSerialization.jsonObject(with: Data(event.json.utf8)) as! [String: Any]
        #expect(json["specversion"] as? String == "1.0")
        #expect(json["id"] as? String == event.id)
        #expect(json["source"] as? String == "vigil://test-host")
        #expect(json["type"] as? String == "com.vigil.incident.opened.v1")
        #expect(json["subject"] as? String == changes[0].incident.id)
        #expect(json["time"] as? String == TimeFormatter.rfc3339(now, fractionDigits: 9))
        #expect(json["datacontenttype"] as? String == "application/json")
        #expect(json["actor"] as? String == "auto")
        let data = json["data"] as! [String: Any]
        #expect(data["reference"] as? String == "INC-1")
        #expect(data["status"] as? String == "firing")
        #expect((data["labels"] as? [String: String]) == ["service": "api"])
        let evidence = data["evidence"] as! [String: Any]
        #expect((evidence["records"] as? [Any])?.count == 2)
        #expect((evidence["query"] as? String)?.hasPrefix("vigil query --since ") == true)
        // The snapshot decodes back to the incident.
        let snapshot = try JSONDecoder().decode(Incident.self, from: JSONSerialization.data(withJSONObject: data))
        #expect(snapshot == changes[0].incident)
    }

    @Test(arguments: Backend.underTest) func incidentsSurviveReopeningTheStore(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        _ = try await db.store.apply([Signals.rule()], now: now)
        try await db.store.close()
        let store = try await db.reopen()
        _ = try await store.apply([Signals.rule()], now: now + 1)
        #expect(try await store.incident("INC-1").signalCount == 2)
        try await store.close()
        guard backend == .sqlite else { return }
        let queue = try DatabaseQueue(path: db.scratch.path + "/incidents.db")
        let pragmas = try await queue.read { db in
            [try String.fetchOne(db, sql: "PRAGMA journal_mode"), try String.fetchOne(db, sql: "PRAGMA integrity_check")]
        }
        #expect(pragmas == ["wal", "ok"])
    }

    @Test(arguments: Backend.underTest) func retentionPrunesEndedIncidentsButNeverUndeliveredNotificationsOrNumbers(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("a"), Signals.rule("b"), Signals.rule("c")], now: now)
        _ = try await store.resolve("INC-1", by: "ops", now: now)
        _ = try await store.resolve("INC-2", by: "ops", now: now)
        // INC-1's notifications were delivered; INC-2's were not; INC-3 is still open.
        try await db.sql("UPDATE outbox SET delivered_at = 1 WHERE incident_id = (SELECT id FROM incidents WHERE number = 1)")
        #expect(try await store.prune(endedBefore: now + 1) == 1)
        await #expect(throws: IncidentStoreError.self) { _ = try await store.incident("INC-1") }
        #expect(try await store.incident("INC-2").status == .resolved)
        let orphans = try await db.sql("SELECT COUNT(*) FROM timeline WHERE incident_id NOT IN (SELECT id FROM incidents)")
        #expect(orphans == ["0"])
        // A new fingerprint still gets a number never used before.
        let fresh = try await store.apply([Signals.rule("a")], now: now + 2)
        #expect(fresh[0].incident.reference == "INC-4")
    }

    @Test(arguments: Backend.underTest) func theReportMeasuresMTTAAndMTTR(_ backend: Backend) async throws {
        let db = try await TestStore.open(backend)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("a"), Signals.rule("b", severity: .critical), Signals.rule("c")], now: now)
        _ = try await store.acknowledge("INC-1", by: "ops", now: now + 60 * Signals.second)
        _ = try await store.acknowledge("INC-2", by: "ops", now: now + 120 * Signals.second)
        _ = try await store.resolve("INC-1", by: "ops", now: now + 600 * Signals.second)
        _ = try await store.apply([Signals.rule("a")], now: now + 700 * Signals.second)
        let report = try await store.report(since: now - 1, until: now + 3600 * Signals.second)
        #expect(report.total == 3)
        #expect(report.bySeverity == ["critical": 1, "error": 2, "warning": 0, "info": 0])
        #expect(report.byDetector == ["rule": 3])
        #expect(report.timeToAcknowledge.count == 2)
        #expect(report.timeToAcknowledge.mean == 90)
        #expect(report.timeToAcknowledge.p50 == 60)
        #expect(report.timeToAcknowledge.p90 == 120)
        // INC-1 reopened (a flap), so none is resolved now.
        #expect(report.timeToResolve.count == 0)
        #expect(report.flapping.map(\.flaps) == [1])
        #expect(report.flapping.first?.fingerprint == Signals.rule("a").fingerprint)
    }

    @Test func aForeignOrCorruptFileIsRefusedAndLeftAsItIs() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/incidents.db"
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteIncidentStore(path: path, hostname: "h", policy: IncidentsConfiguration())
        } throws: { error in
            guard case IncidentStoreError.foreign(let named, _) = error else { return false }
            return named == path && "\(error)".contains(path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)

        let other = scratch.path + "/other.db"
        let queue = try DatabaseQueue(path: other)
        try await queue.write { try $0.execute(sql: "CREATE TABLE photos (id INTEGER PRIMARY KEY)") }
        try queue.close()
        #expect {
            _ = try SQLiteIncidentStore(path: other, hostname: "h", policy: IncidentsConfiguration())
        } throws: { error in
            guard case IncidentStoreError.foreign(_, let reason) = error else { return false }
            return reason.contains("photos")
        }
    }

    @Test func aDatabaseFromANewerVigildIsRefused() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try open(scratch).close()
        let queue = try DatabaseQueue(path: scratch.path + "/incidents.db")
        try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')") }
        try queue.close()
        #expect {
            _ = try open(scratch)
        } throws: { error in
            guard case IncidentStoreError.newerSchema = error else { return false }
            return true
        }
    }

    @Test(arguments: Backend.underTest) func quietResolutionResolvesIncidentsWithoutSignals(_ backend: Backend) async throws {
        var policy = IncidentsConfiguration()
        policy.resolveOn = .quiet
        let db = try await TestStore.open(backend, policy: policy)
        defer { db.remove() }
        let store = db.store
        _ = try await store.apply([Signals.rule("a", at: now), Signals.rule("b", at: now + 4 * minute)], now: now)
        let resolved = try await store.resolveQuiet(now: now + 5 * minute)
        #expect(resolved.map(\.incident.reference) == ["INC-1"])
        #expect(try await store.incident("INC-2").status == .firing)
        #expect(try await store.openCounts()[.error] == 1)
    }

    // MARK: - Shared by several vigild (PostgreSQL)

    @Test(.enabled(if: Backend.postgresUnderTest)) func aPostgresDatabaseWithOtherTablesOrANewerSchemaIsRefused() async throws {
        let server = try await PostgresServerProcess.shared()
        let other = try await server.database()
        try await server.psql("CREATE TABLE photos (id INTEGER PRIMARY KEY)", database: PostgresServerProcess.name(of: other))
        await #expect {
            _ = try await TestStore.openPostgres(other)
        } throws: { error in
            guard case IncidentStoreError.foreign(_, let reason) = error else { return false }
            return reason.contains("photos")
        }
        #expect(try await server.psql("SELECT COUNT(*) FROM photos", database: PostgresServerProcess.name(of: other)) == "0")

        let db = try await TestStore.open(.postgres)
        try await db.store.close()
        try await db.sql("INSERT INTO vigil_schema_migrations (version, name) VALUES (99, 'from the future')")
        await #expect {
            _ = try await db.reopen()
        } throws: { error in
            guard case IncidentStoreError.newerSchema = error else { return false }
            return true
        }
    }

    @Test(.enabled(if: Backend.postgresUnderTest)) func twoVigildOpeningTheSameFingerprintAtOnceMakeOneIncident() async throws {
        let db = try await TestStore.open(.postgres)
        let other = try await db.reopen()
        // Both receive the same burst, in batches that interleave, plus fingerprints of their own.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in [db.store, other].enumerated() {
                group.addTask {
                    for batch in 0..<20 {
                        let signals = (0..<50).map { Signals.rule("shared", at: now + Int64(batch * 50 + $0)) }
                            + [Signals.rule("own-\(index)-\(batch % 4)")]
                        _ = try await store.apply(signals, now: now + Int64(batch))
                    }
                }
            }
            try await group.waitForAll()
        }
        var query = IncidentQuery()
        query.limit = 100
        let incidents = try await db.store.incidents(query).incidents
        let shared = incidents.filter { $0.label("service") == "shared" }
        #expect(shared.count == 1)
        #expect(shared.first?.signalCount == 2 * 20 * 50)
        #expect(incidents.count == 1 + 2 * 4)
        // Numbers are 1...9, none skipped or doubled.
        #expect(Set(incidents.map(\.number)) == Set(1...9))
        #expect(try await db.sql("SELECT COUNT(*) FROM timeline WHERE type = 'opened'") == ["9"])
        try await other.close()
        try await db.store.close()
    }

    @Test(.enabled(if: Backend.postgresUnderTest)) func whatAnotherVigildChangedIsNeverOverwrittenFromACache() async throws {
        let db = try await TestStore.open(.postgres)
        let other = try await db.reopen()
        _ = try await db.store.apply([Signals.rule("a")], now: now)
        // The other vigild acknowledges, assigns and counts a signal; this one's next batch must
        // start from that row, not from the incident it decoded and kept.
        _ = try await other.acknowledge("INC-1", by: "ops", now: now + 1)
        _ = try await other.assign("INC-1", to: "alice", by: "ops", now: now + 2)
        _ = try await other.apply([Signals.rule("a")], now: now + 3)
        _ = try await db.store.apply([Signals.rule("a")], now: now + 4)
        let incident = try await db.store.incident("INC-1")
        #expect(incident.status == .acknowledged && incident.assignee == "alice" && incident.signalCount == 3)
        try await other.close()
        try await db.store.close()
    }

    @Test(.enabled(if: Backend.postgresUnderTest)) func deliveriesAreClaimedByOneVigildAtATime() async throws {
        let db = try await TestStore.open(.postgres)
        let other = try await db.reopen()
        let signals = (0..<40).map { Signals.rule("svc-\($0)") }
        _ = try await db.store.apply(signals, now: now)
        _ = try await db.store.routeOutbox(now: now) { _, _ in ["hook"] }
        // Both dispatchers ask at once, again and again: each delivery goes to one of them.
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for store in [db.store, other] {
                group.addTask {
                    var taken: [Int64] = []
                    for _ in 0..<10 {
                        taken += try await store.dueDeliveries(endpoint: "hook", now: now, limit: 3, lease: 60 * Signals.second, openedOnly: false)
                            .map(\.delivery.sequence)
                    }
                    return taken
                }
            }
            return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 40)
        #expect(Set(all).count == 40)
        // A claim not recorded is due again when its lease ends (its vigild died).
        #expect(try await other.nextDue(endpoint: "hook") == now + 60 * Signals.second)
        let again = try await other.dueDeliveries(endpoint: "hook", now: now + 61 * Signals.second, limit: 100, lease: Signals.second, openedOnly: false)
        #expect(again.count == 40)
        try await other.close()
        try await db.store.close()
    }

    @Test(.enabled(if: Backend.postgresUnderTest)) func anotherVigildsOutboxWakesThisOne() async throws {
        let db = try await TestStore.open(.postgres)
        let other = try await db.reopen()
        let woken = AsyncStream.makeStream(of: Void.self)
        other.observeOutbox { woken.continuation.yield() }
        _ = try await db.store.apply([Signals.rule("api")], now: now)
        var iterator = woken.stream.makeAsyncIterator()
        // The listener's first wake-up (it may have missed something), then the NOTIFY.
        _ = await iterator.next()
        try await other.close()
        try await db.store.close()
    }
}
