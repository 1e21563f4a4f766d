import Testing
import VigilCore
import VigilTestSupport

@testable import VigilDetect

/// `kind = "absent"` rules: a group key that was seen (or is expected) and then matches no record
/// for `for` of event time opens a signal; its next record resolves it.
@Suite("Rules: absence")
struct AbsenceRuleTests {
    static func absent(_ name: String = "quiet", for silence: Int64 = 60 * second, expect: [String] = []) -> RuleConfiguration {
        var rule = RuleConfiguration(name: name)
        rule.kind = .absent
        rule.holdFor = silence
        rule.expect = expect
        rule.title = try! TitleTemplate(
            RuleConfiguration.defaultAbsentTitle, names: RuleConfiguration.absentPlaceholders.union(["service"]))
        return rule
    }

    /// `api` and `db` log every 10 s from 0 to 300 s; `api` stops after 100 s and comes back at 250 s.
    static func stream() -> [LogRecord] {
        var records: [LogRecord] = []
        for tick in stride(from: 0.0, through: 300, by: 10) {
            if tick <= 100 || tick >= 250 { records.append(record(tick, service: "api", severity: .info, message: "ok \(Int(tick))")) }
            records.append(record(tick + 1, service: "db", severity: .info, message: "ok"))
        }
        return records
    }

    @Test func aStreamThatStopsOpensOneSignalAfterForAndItsNextRecordResolvesIt() {
        let signals = run(.rulesOnly([Self.absent()]), Self.stream())
        #expect(signals.count == 2)
        let firing = signals[0]
        #expect(firing.status == .firing)
        #expect(firing.name == "quiet")
        #expect(firing.key == [GroupValue(name: "service", value: "api")])
        #expect(firing.start == 100 * second, "the silence starts at the last record")
        #expect(firing.end == 160 * second)
        #expect(firing.count == 0)
        #expect(firing.score == 1)
        #expect(firing.title == "quiet: no records from api for 1m")
        #expect(firing.evidence.map(\.message) == ["ok 100"], "the last record before the silence")
        let resolved = signals[1]
        #expect(resolved.status == .resolved)
        #expect(resolved.fingerprint == firing.fingerprint)
        #expect(resolved.start == 100 * second)
        #expect(resolved.end == 250 * second)
        #expect(resolved.evidence.isEmpty)
    }

    @Test func aReplayAndALiveFeedMovedOnByTheClockGiveTheSameSignals() {
        let configuration = DetectionConfiguration.rulesOnly([Self.absent()], lateness: 5 * second)
        let replayed = run(configuration, Self.stream())
        // Live: one record at a time, the clock ticking every second in between (the daemon's way).
        let engine = DetectionEngine(configuration: configuration)
        var live: [Signal] = []
        var clock: Int64 = 0
        for record in Self.stream() {
            while clock + second <= record.time {
                clock += second
                live += engine.advance(to: clock)
            }
            live += engine.process(record)
        }
        live += engine.flush()
        #expect(live == replayed)
        #expect(replayed.map(\.status) == [.firing, .resolved])
    }

    @Test func aHostThatGoesQuietAltogetherIsNoticedByTheClock() {
        let engine = DetectionEngine(configuration: .rulesOnly([Self.absent()], lateness: 30 * second))
        #expect(engine.process((0..<10).map { record(Double($0), service: "api", severity: .info) }).isEmpty)
        // No record at all after 9 s: the wall clock moves event time on (watermark = clock − lateness).
        #expect(engine.advance(to: 99 * second).isEmpty, "a silence of exactly for is not one yet")
        let signals = engine.advance(to: 99 * second + 1)
        #expect(signals.map(\.status) == [.firing])
        #expect(signals.first?.end == 69 * second)
        #expect(engine.advance(to: 500 * second).isEmpty, "one signal per silence")
    }

    @Test func anExpectedStreamThatNeverShowsUpFiresForAfterTheStartAndOneThatDoesNotStaysQuiet() {
        let rule = Self.absent(expect: ["api", "billing"])
        let signals = run(.rulesOnly([rule]), Self.stream().filter { $0.service != "api" || $0.time <= 100 * second })
        // api was seen and stopped at 100 s; billing was never seen: its silence starts at the first
        // event time (0 s). db is not expected but was seen and never stopped.
        let fired = signals.filter { $0.status == .firing }
        #expect(fired.map(\.key.first?.value) == ["billing", "api"])
        #expect(fired[0].start == 0)
        #expect(fired[0].end == 60 * second)
        #expect(fired[0].title == "quiet: no records from billing for 1m")
        #expect(fired[0].evidence.isEmpty)
        #expect(fired[1].end == 160 * second)
        #expect(signals.allSatisfy { $0.status == .firing })
    }

    @Test func aWarmUpDoesNotStartTheExpectations() throws {
        let engine = DetectionEngine(configuration: .rulesOnly([Self.absent(expect: ["billing"])]))
        // History replayed silently at start-up (hours without billing) does not count against it.
        engine.warmUp((0..<167).map { record(Double($0) * 60, service: "api", severity: .info) })
        #expect(engine.advance(to: 10_000 * second).isEmpty, "the expectation starts now")
        let signals = engine.advance(to: 10_060 * second)
        let billing = try #require(signals.first { $0.key.first?.value == "billing" })
        #expect(billing.start == 9_960 * second, "the first event time evaluated live: the last record held back")
        #expect(billing.title == "quiet: no records from billing for 1m")
    }

    @Test func theStateSurvivesARestartWithoutASecondSignal() throws {
        var rule = Self.absent()
        rule.match.service = NamePattern("api")
        let configuration = DetectionConfiguration.rulesOnly([rule])
        let records = Self.stream()
        let before = records.filter { $0.time <= 130 * second }  // api quiet since 100 s, not yet fired
        let first = DetectionEngine(configuration: configuration)
        #expect((first.process(before) + first.flush()).isEmpty)
        let saved = try AbsenceSnapshot(jsonBytes: first.absenceSnapshot().jsonBytes())
        #expect(saved.rules["quiet"]?.groups.count == 1)

        // Restarted with no history to re-warm from: the silence still counts from 100 s.
        let restarted = DetectionEngine(configuration: configuration)
        restarted.restoreAbsence(saved)
        let fired = restarted.advance(to: 170 * second)
        #expect(fired.map(\.status) == [.firing])
        #expect(fired.first?.start == 100 * second)

        // Restarted again after the signal, re-warmed from the store's tail as the daemon does
        // (records older than the silence, which change nothing): no second signal.
        let third = DetectionEngine(configuration: configuration)
        third.restoreAbsence(restarted.absenceSnapshot())
        third.warmUp(before)
        #expect(third.advance(to: 240 * second).isEmpty)
        let back = third.process(record(250, service: "api", severity: .info)) + third.flush()
        #expect(back.map(\.status) == [.resolved])
        #expect(back.first?.start == 100 * second)
    }

    @Test func aSnapshotOfAnotherVersionOrGroupingIsNotTaken() throws {
        var snapshot = AbsenceSnapshot()
        snapshot.version = 99
        #expect(throws: DetectorStateError.unsupportedVersion(state: "absence state", version: 99, supported: 1)) {
            try AbsenceSnapshot(jsonBytes: snapshot.jsonBytes())
        }
        #expect(throws: DetectorStateError.self) { try AbsenceSnapshot(jsonBytes: Array("{".utf8)) }
        // Saved while the rule grouped by host: not restored into a rule grouping by service.
        var other = AbsenceSnapshot()
        other.rules["quiet"] = .init(
            groupBy: ["host"], startedAt: 0,
            groups: [.init(key: [GroupValue(name: "host", value: "web-01")], since: 0, seen: true, firing: false)])
        let engine = DetectionEngine(configuration: .rulesOnly([Self.absent()]))
        engine.restoreAbsence(other)
        #expect(engine.advance(to: 1000 * second).isEmpty)
        #expect(engine.counters.streams == 0)
    }

    @Test func aReloadKeepsAnUnchangedAbsentRulesState() {
        let configuration = DetectionConfiguration.rulesOnly([Self.absent()])
        let engine = DetectionEngine(configuration: configuration)
        _ = engine.process(Self.stream().filter { $0.time <= 120 * second })
        var next = configuration
        next.rules.append(RuleConfiguration.defaultRule)
        let changes = engine.reconfigure(to: next)
        #expect(changes.addedRules == ["errors"])
        #expect(changes.changedRules.isEmpty)
        #expect(engine.flush().isEmpty)
        #expect(engine.advance(to: 161 * second).map(\.key.first?.value) == ["api"], "the silence since 100 s was kept")
        // Changing the rule starts it over; removing it is reported.
        var changed = next
        changed.rules[0].holdFor = 120 * second
        #expect(engine.reconfigure(to: changed).changedRules == ["quiet"])
        #expect(engine.reconfigure(to: .rulesOnly([])).removedRules.sorted() == ["errors", "quiet"])
    }

    // MARK: - Configuration

    func parse(_ text: String) throws -> DetectionConfiguration {
        let directory = Scratch()
        defer { directory.remove() }
        directory.file("vigil.toml", text)
        return try DetectionConfiguration(document: ConfigurationLoader.load(directory: directory.path))
    }

    func failure(_ text: String) -> ConfigError? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return nil
        }
    }

    @Test func anAbsentRuleReadsForExpectAndItsOwnTitleAndRefusesWhatDoesNotApply() throws {
        let configuration = try parse(
            """
            [[rules]]
            name = "cron-stopped"
            kind = "absent"
            group_by = ["service"]
            expect = ["backup", "billing"]
            [rules.match]
            service = "backup*"
            """)
        let rule = try #require(configuration.rules.first)
        #expect(rule.kind == .absent)
        #expect(rule.holdFor == 300 * second, "5 minutes unless for is set")
        #expect(rule.expect == ["backup", "billing"])
        #expect(rule.title.render { ["rule": "r", "key": "k", "for": "5m"][$0] } == "r: no records from k for 5m")

        let window = try #require(failure("[[rules]]\nname = \"x\"\nkind = \"absent\"\nwindow = \"1m\"\n"))
        #expect(window.key == "rules[0].window")
        #expect(window.reason.contains("no window"))
        let expect = try #require(failure("[[rules]]\nname = \"x\"\nexpect = [\"a\"]\n"))
        #expect(expect.key == "rules[0].expect")
        let twoNames = try #require(
            failure("[[rules]]\nname = \"x\"\nkind = \"absent\"\ngroup_by = [\"service\", \"host\"]\nexpect = [\"a\"]\n"))
        #expect(twoNames.reason.contains("one group_by name"))
        let kind = try #require(failure("[[rules]]\nname = \"x\"\nkind = \"missing\"\n"))
        #expect(kind.key == "rules[0].kind")
        let zero = try #require(failure("[[rules]]\nname = \"x\"\nkind = \"absent\"\nfor = \"0s\"\n"))
        #expect(zero.key == "rules[0].for")
        let placeholder = try #require(failure("[[rules]]\nname = \"x\"\nkind = \"absent\"\ntitle = \"{count}\"\n"))
        #expect(placeholder.key == "rules[0].title")
    }
}
