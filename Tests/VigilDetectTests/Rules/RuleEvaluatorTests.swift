import Testing
import VigilCore

@testable import VigilDetect

@Suite("Rules")
struct RuleEvaluatorTests {
    @Test func sixRecordsInExactlyTheWindowFire() {
        // Closed window [t - 60 s, t]: records at 0 and 60 s are in the same window.
        let records = (0...5).map { record(Double($0) * 12) }
        let signals = run(.rulesOnly(), records)
        #expect(signals.count == 1)
        let signal = signals[0]
        #expect(signal.status == .firing)
        #expect(signal.detector == .rule)
        #expect(signal.name == "errors")
        #expect(signal.key == [GroupValue(name: "service", value: "api")])
        #expect(signal.count == 6)
        #expect(signal.start == 0)
        #expect(signal.end == 60 * second)
        #expect(signal.title == "api: 6 errors in 1m")
        #expect(signal.severity == .err)
        #expect(signal.evidence.count == 5)
        #expect(signal.evidence.map(\.time) == (1...5).map { Int64($0) * 12 * second })
        #expect(signal.fingerprint == Signal.fingerprint(name: "errors", key: signal.key))
    }

    @Test func sixRecordsOverSlightlyMoreThanTheWindowDoNot() {
        var records = (0...4).map { record(Double($0) * 12) }
        records.append(record(nanos: 60 * second + 1_000_000))  // 60.001 s
        #expect(run(.rulesOnly(), records).isEmpty)
        // One nanosecond past the window is already outside it.
        records[5] = record(nanos: 60 * second + 1)
        #expect(run(.rulesOnly(), records).isEmpty)
    }

    @Test func onlyMatchingRecordsCountAndGroupsAreSeparate() {
        var records: [LogRecord] = []
        for index in 0..<6 {
            let time = Double(index)
            records.append(record(time, service: index % 2 == 0 ? "api" : "db"))  // 3 each
            records.append(record(time + 0.5, service: "api", severity: .warning))  // below err
        }
        #expect(run(.rulesOnly(), records).isEmpty)
        records += (6..<9).map { record(Double($0), service: "db") }  // db: 6 errors
        let signals = run(.rulesOnly(), records)
        #expect(signals.map(\.key) == [[GroupValue(name: "service", value: "db")]])
    }

    @Test func matchConditions() throws {
        var rule = RuleConfiguration(name: "timeouts")
        rule.threshold = 1
        rule.groupBy = GroupBy(["host", "region"])
        rule.match.service = NamePattern("web-*")
        rule.match.message = try RegexPattern("time(d )?out")
        rule.match.fields = [.init(name: "region", test: .equals("eu"))]
        let good = record(1, service: "web-api", message: "upstream timed out", fields: ["region": "eu"])
        let records = [
            good,
            record(2, service: "db", message: "upstream timed out", fields: ["region": "eu"]),
            record(3, service: "web-api", message: "upstream slow", fields: ["region": "eu"]),
            record(4, service: "web-api", message: "timeout", fields: ["region": "us"]),
            record(5, service: "web-api", message: "timeout", fields: [:]),
            record(6, service: "web-x", message: "read timeout", fields: ["region": "eu"]),
        ]
        let signals = run(.rulesOnly([rule]), records)
        #expect(signals.count == 1)
        #expect(signals.first?.key == [GroupValue(name: "host", value: "web-01"), GroupValue(name: "region", value: "eu")])
        #expect(signals.first?.title == "timeouts: 2 records in 1m (web-01, eu)")
    }

    @Test func forDelaysFiringUntilTheConditionHeldLongEnough() {
        var rule = RuleConfiguration(name: "sustained")
        rule.threshold = 2
        rule.holdFor = 30 * second
        // 3 records at 0, 1, 2 s: holds from 2 s; more records keep it true; fires at 32 s.
        let records = [0, 1, 2, 10, 20, 30, 40].map { record(Double($0)) }
        let signals = run(.rulesOnly([rule]), records)
        #expect(signals.count == 1)
        #expect(signals.first?.end == 32 * second)
        #expect(signals.first?.status == .firing)
        #expect(signals.first?.count == 6)  // 3 at the start of the streak, then 10, 20, 30

        // With a 20 s window the condition holds from 2 s to 20 s only: it breaks before 30 s elapse.
        rule.window = 20 * second
        let broken = [0, 1, 2, 25, 26].map { record(Double($0)) }
        #expect(run(.rulesOnly([rule]), broken + [record(200, severity: .info)]).isEmpty)
    }

    @Test func firingResolvesWhenTheWindowDrainsBelowTheThreshold() {
        let burst = (0...5).map { record(Double($0)) }
        // Condition holds until 60 s (oldest 0 s + window); resolves once false for a whole window.
        let engine = DetectionEngine(configuration: .rulesOnly())
        // With no lateness a record is released once a later one arrives.
        var signals = engine.process(burst) + engine.process(record(120, severity: .info))
        #expect(signals.map(\.status) == [.firing])
        signals = engine.process(record(121, severity: .info))
        #expect(signals.map(\.status) == [.resolved])
        #expect(signals.first?.end == 120 * second)
        #expect(signals.first?.count == 6)
        #expect(signals.first?.evidence.isEmpty == true)
        // A new burst fires again.
        signals = engine.process((200...205).map { record(Double($0)) }) + engine.flush()
        #expect(signals.map(\.status) == [.firing])
    }

    @Test func steadyTrafficAboveTheThresholdStaysFiring() {
        // One error every 10 s is 7 per closed 60 s window: it fires once and does not flap.
        let records = (0...60).map { record(Double($0) * 10) }
        let signals = run(.rulesOnly(), records)
        #expect(signals.map(\.status) == [.firing])
    }

    @Test func groupsAreCappedAndEvictionsCounted() {
        var configuration = DetectionConfiguration.rulesOnly()
        configuration.maxStreams = 3
        let engine = DetectionEngine(configuration: configuration)
        _ = engine.process((0..<10).map { record(Double($0), service: "svc\($0)") })
        _ = engine.flush()
        #expect(engine.counters.streams == 3)
        #expect(engine.counters.evictedStreams == 7)
    }
}
