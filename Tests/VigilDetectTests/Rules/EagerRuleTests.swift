import Testing
import VigilCore
import VigilTestSupport

@testable import VigilDetect

/// Rules without `for` fire when the record that crosses the threshold is admitted, not when the
/// watermark releases it. The reference throughout is the same pipeline with eager firing off,
/// which is the evaluation as it was before: everything must match it except when a rule's firing
/// signal comes out.
@Suite("Rules: eager firing")
struct EagerRuleTests {
    // MARK: - When a firing comes out

    @Test func aBurstFiresInTheCallOfTheCrossingRecord() {
        let configuration = DetectionConfiguration.rulesOnly(lateness: 30 * second)
        var eager = DetectionPipeline(configuration: configuration)
        var reference = DetectionPipeline(configuration: configuration, eagerRules: false)
        let burst = (0...5).map { record(100, message: "request \($0) failed") }
        var fired: [Signal] = []
        for (index, record) in burst.enumerated() {
            let signals = eager.process(CollectionOfOne(record))
            fired += signals
            #expect(reference.process(CollectionOfOne(record)).isEmpty)
            if index < 5 {
                #expect(signals.isEmpty, "record \(index + 1) of 6 does not cross the threshold")
                continue
            }
            #expect(signals.count == 1)
            let firing = signals[0]
            #expect(firing.status == .firing)
            #expect(firing.name == "errors")
            #expect(firing.key == [GroupValue(name: "service", value: "api")])
            #expect(firing.start == 100 * second)
            #expect(firing.end == 100 * second)
            #expect(firing.count == 6)
            #expect(firing.score == 1)
            #expect(firing.title == "api: 6 errors in 1m")
            #expect(firing.evidence.map(\.message) == (1...5).map { "request \($0) failed" })
        }
        // The in-order evaluation reaches the burst once the watermark passes it: silently here,
        // with the very same signal in the reference.
        let released = eager.advance(to: 131 * second)
        let late = reference.advance(to: 131 * second)
        #expect(released.isEmpty)
        #expect(late.count == 1)
        #expect(late == fired)
        // Both resolve alike: the condition held until 160 s and was false for a whole window after 220 s.
        let resolved = eager.advance(to: 252 * second)
        #expect(resolved == reference.advance(to: 252 * second))
        #expect(resolved.map(\.status) == [.resolved])
        #expect(resolved.first?.count == 6)
        #expect(resolved.first?.end == 220 * second)
        #expect(eager.flush().isEmpty)
        #expect(eager.pendingMatches == 0)
    }

    @Test func aRuleWithForStillWaits() {
        var rule = RuleConfiguration(name: "sustained")
        rule.threshold = 2
        rule.holdFor = 10 * second
        rule.match.severity = .err
        let configuration = DetectionConfiguration.rulesOnly([rule], lateness: 30 * second)
        var eager = DetectionPipeline(configuration: configuration)
        var reference = DetectionPipeline(configuration: configuration, eagerRules: false)
        var calls: [[Signal]] = []
        for time in stride(from: 100.0, through: 150, by: 1) {
            let signals = eager.process(CollectionOfOne(record(time)))
            #expect(signals == reference.process(CollectionOfOne(record(time))))
            calls.append(signals)
        }
        // Holds from 102 s, fires at 112 s: released once the watermark passes 112 s (at 142 s).
        #expect(calls[..<42].allSatisfy { $0.isEmpty })
        #expect(calls[42].map(\.status) == [.firing])
        #expect(calls[42].first?.end == 112 * second)
        #expect(eager.pendingMatches == 0)
    }

    // MARK: - Which records count

    @Test func lateRecordsDoNotCount() {
        var rule = RuleConfiguration(name: "r")
        rule.threshold = 2
        rule.window = 20 * second
        let configuration = DetectionConfiguration.rulesOnly([rule], lateness: 10 * second)
        // 85 s is older than the watermark (90 s): with it, [79 s, 99 s] would hold three records.
        var engine = DetectionPipeline(configuration: configuration)
        #expect(engine.process(CollectionOfOne(record(100))).isEmpty)
        #expect(engine.process(CollectionOfOne(record(85))).isEmpty)
        #expect(engine.process(CollectionOfOne(record(99))).isEmpty)
        #expect(engine.flush().isEmpty)
        #expect(engine.counters.lateRecords == 1)
        // At 95 s the same record is not late, and the third record fires.
        engine = DetectionPipeline(configuration: configuration)
        #expect(engine.process(CollectionOfOne(record(100))).isEmpty)
        #expect(engine.process(CollectionOfOne(record(95))).isEmpty)
        let signals = engine.process(CollectionOfOne(record(99)))
        #expect(signals.map(\.status) == [.firing])
        #expect(signals.first?.start == 95 * second)
        #expect(signals.first?.end == 100 * second)
        #expect(engine.flush().isEmpty)
    }

    @Test func windowsAreInEventTimeNotArrivalOrder() {
        var rule = RuleConfiguration(name: "r")
        rule.threshold = 2
        rule.window = 10 * second
        let configuration = DetectionConfiguration.rulesOnly([rule], lateness: 30 * second)
        // Three records, but no 10 s of event time holds all three.
        var engine = DetectionPipeline(configuration: configuration)
        for time in [111.0, 100, 122] { #expect(engine.process(CollectionOfOne(record(time))).isEmpty) }
        #expect(engine.flush().isEmpty)

        // 100, 108, 109 s: the third arrival fills [99 s, 109 s]. A record at 105 s then arrives:
        // in event time the window was already full at 108 s, which the in-order evaluation finds;
        // it must not fire a second time for it, and the episode resolves once.
        engine = DetectionPipeline(configuration: configuration)
        var reference = DetectionPipeline(configuration: configuration, eagerRules: false)
        var signals: [Signal] = [], expected: [Signal] = []
        for (index, time) in [100.0, 108, 109, 105].enumerated() {
            let returned = engine.process(CollectionOfOne(record(time)))
            #expect(returned.count == (index == 2 ? 1 : 0))
            signals += returned
            expected += reference.process(CollectionOfOne(record(time)))
        }
        signals += engine.flush() + engine.advance(to: 1000 * second)
        expected += reference.flush() + reference.advance(to: 1000 * second)
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(signals.first?.start == 100 * second)
        #expect(signals.first?.end == 109 * second)  // as seen when it fired
        #expect(expected.map(\.status) == [.firing, .resolved])
        #expect(expected.first?.end == 108 * second)  // in event time
        #expect(signals.last == expected.last)
    }

    // MARK: - Episodes

    @Test func aNewEpisodeFiresAsSoonAsThePreviousOneHasResolved() {
        let configuration = DetectionConfiguration.rulesOnly(lateness: 30 * second)
        var eager = DetectionPipeline(configuration: configuration)
        var reference = DetectionPipeline(configuration: configuration, eagerRules: false)
        // The first burst holds until 60 s and resolves just after 120 s; the second crosses at
        // 135 s, when the watermark (105 s) has not reached that resolution yet.
        let firstBurst = (0...5).map { record(Double($0)) }
        let secondBurst = (130...135).map { record(Double($0)) }
        let quiet = [140.0, 152, 160, 170].map { record($0, severity: .info) }
        var calls: [[Signal]] = [], expectedCalls: [[Signal]] = []
        for record in firstBurst + secondBurst + quiet {
            calls.append(eager.process(CollectionOfOne(record)))
            expectedCalls.append(reference.process(CollectionOfOne(record)))
        }
        calls.append(eager.flush())
        expectedCalls.append(reference.flush())
        // The second episode fires right after the first resolves (the call admitting 152 s), with
        // the fields the in-order evaluation gives it when 135 s is released (the call admitting 170 s).
        #expect(calls[5].map(\.status) == [.firing])
        #expect(calls[13].map(\.status) == [.resolved, .firing])
        #expect(expectedCalls[13].map(\.status) == [.resolved])
        #expect(expectedCalls[15].map(\.status) == [.firing])
        #expect(calls[13][1] == expectedCalls[15][0])
        #expect(calls[13][1].start == 130 * second)
        #expect(calls[13][1].end == 135 * second)
        #expect(calls.joined().filter { $0.status == .resolved } == expectedCalls.joined().filter { $0.status == .resolved })
        #expect(calls.joined().count == 3)
        #expect(eager.pendingMatches == 0)
    }

    @Test func warmUpEmitsNothingAndTheEpisodeStaysQuietAfterIt() {
        let configuration = DetectionConfiguration.rulesOnly(lateness: 30 * second)
        // A burst crossing at 100 s, still buffered when the warm-up ends, then more of the same
        // episode and quiet.
        let before = (95...100).map { record(Double($0)) }
        let after = (101...110).map { record(Double($0)) } + [record(300, severity: .info)]

        var original = DetectionPipeline(configuration: configuration)
        let firstRun = original.process(before)
        #expect(firstRun.map(\.status) == [.firing])
        var continued: [Signal] = []
        for record in after { continued += original.process(CollectionOfOne(record)) }
        continued += original.flush()

        var restarted = DetectionPipeline(configuration: configuration)
        restarted.warmUp(before)
        var afterRestart: [Signal] = []
        for (index, record) in after.enumerated() {
            let signals = restarted.process(CollectionOfOne(record))
            if index < 10 { #expect(signals.isEmpty, "the warm-up's signals must not leak out") }
            afterRestart += signals
        }
        afterRestart += restarted.flush()
        #expect(!afterRestart.contains { $0.status == .firing })
        #expect(afterRestart.map(\.status) == [.resolved])
        #expect(afterRestart == continued)
        #expect(restarted.counters.records == after.count)
    }

    // MARK: - Equivalence with the in-order evaluation

    /// Rules that give the synthetic stream many episodes: tiny thresholds, short windows, several
    /// group keys, one with `for`, one matching a message.
    static var busyConfiguration: DetectionConfiguration {
        var configuration = DetectionConfiguration.everything
        var everyError = RuleConfiguration(name: "every-error")
        everyError.threshold = 0
        everyError.window = 5 * second
        everyError.match.severity = .err
        var hostPairs = RuleConfiguration(name: "host-pairs")
        hostPairs.threshold = 1
        hostPairs.window = 20 * second
        hostPairs.groupBy = GroupBy(["host", "severity"])
        hostPairs.match.severity = .err
        var sustained = RuleConfiguration(name: "sustained")
        sustained.threshold = 2
        sustained.window = 30 * second
        sustained.holdFor = 10 * second
        sustained.match.severity = .err
        var cards = RuleConfiguration(name: "cards")
        cards.threshold = 3
        cards.window = 10 * second
        cards.groupBy = GroupBy([])
        cards.match.message = try! RegexPattern("card processor")
        configuration.rules = [RuleConfiguration.defaultRule, everyError, hostPairs, sustained, cards]
        return configuration
    }

    /// Feeds `records` in batches of `batch` (1: one record per call); returns each call's signals.
    static func calls(_ pipeline: inout DetectionPipeline, _ records: [LogRecord], batch: Int = 1) -> [[Signal]] {
        var calls: [[Signal]] = []
        var start = 0
        while start < records.count {
            let end = min(records.count, start + batch)
            calls.append(pipeline.process(records[start..<end]))
            start = end
        }
        calls.append(pipeline.flush())
        return calls
    }

    static func isEagerFiring(_ signal: Signal, _ configuration: DetectionConfiguration) -> Bool {
        signal.detector == .rule && signal.status == .firing
            && configuration.rules.contains { $0.name == signal.name && $0.holdFor == 0 }
    }

    /// The rule signals of `signals` per fingerprint, in order.
    static func episodes(_ signals: [Signal]) -> [String: [Signal]] {
        Dictionary(grouping: signals.filter { $0.detector == .rule }, by: \.fingerprint)
    }

    /// Runs `records` one per call through `configuration` with and without eager firing and checks
    /// that only the eager rules' firings moved, each to the call that admitted its crossing record
    /// or, when the group's previous episode had not resolved by the watermark then, to the call
    /// where it resolved. Returns how many firings took each way.
    static func checkSortedEquivalence(
        _ records: [LogRecord], _ configuration: DetectionConfiguration
    ) -> (atCrossing: Int, atResolution: Int) {
        var eager = DetectionPipeline(configuration: configuration)
        var reference = DetectionPipeline(configuration: configuration, eagerRules: false)
        let calls = Self.calls(&eager, records)
        let expectedCalls = Self.calls(&reference, records)
        let signals = Array(calls.joined()), expected = Array(expectedCalls.joined())
        #expect(eager.pendingMatches == 0)

        // The same signals, and per group in the same order.
        #expect(signals.count == expected.count)
        #expect(Set(signals) == Set(expected))
        #expect(episodes(signals) == episodes(expected))
        // Everything but eager rules' firings comes out in the same call as before, in order.
        let isFiring = { (signal: Signal) in Self.isEagerFiring(signal, configuration) }
        #expect(calls.map { $0.filter { !isFiring($0) } } == expectedCalls.map { $0.filter { !isFiring($0) } })

        // When each firing comes out.
        func called(_ calls: [[Signal]]) -> [String: [(call: Int, signal: Signal)]] {
            let all = calls.enumerated().flatMap { call, signals in
                signals.filter { $0.detector == .rule }.map { (call: call, signal: $0) }
            }
            return Dictionary(grouping: all, by: \.signal.fingerprint)
        }
        let eagerCalls = called(calls), referenceCalls = called(expectedCalls)
        var atCrossing = 0, atResolution = 0
        for (fingerprint, sequence) in eagerCalls {
            for (index, (call, signal)) in sequence.enumerated() where isFiring(signal) {
                let crossing = records.firstIndex { $0.time == signal.end }!
                let resolved = index > 0 ? sequence[index - 1].call : -1
                #expect(call == max(crossing, resolved), "\(signal)")
                if call == crossing { atCrossing += 1 } else { atResolution += 1 }
                if let before = referenceCalls[fingerprint]?[index].call {
                    #expect(call <= before)
                    #expect(before > crossing, "without eager firing it comes out once released")
                }
            }
        }
        return (atCrossing, atResolution)
    }

    @Test func sortedInputGivesTheInOrderSignalsOnlyEarlier() {
        // The default rule on the synthetic stream: its episodes are far apart, so every firing
        // comes out with its crossing record, and the firings keep their order too.
        let records = syntheticStream()
        let everything = DetectionConfiguration.everything
        let (atCrossing, atResolution) = Self.checkSortedEquivalence(records, everything)
        #expect(atCrossing >= 3)
        #expect(atResolution == 0)
        let reference = run(everything, records)
        var eager = DetectionPipeline(configuration: everything)
        let signals = eager.process(records) + eager.flush()
        let isFiring = { (signal: Signal) in Self.isEagerFiring(signal, everything) }
        #expect(signals.filter(isFiring) == reference.filter(isFiring))
        #expect(signals.filter { !isFiring($0) } == reference.filter { !isFiring($0) })
        #expect(signals.count == reference.count)

        // Busy rules: many episodes, some of which follow the previous one within the lateness.
        let busy = Self.busyConfiguration
        var reference2 = DetectionPipeline(configuration: busy, eagerRules: false)
        let expected = Self.calls(&reference2, records).joined()
        for name in busy.rules.map(\.name) {
            #expect(expected.contains { $0.name == name && $0.status == .resolved }, "\(name) should have episodes")
        }
        let busyWays = Self.checkSortedEquivalence(records, busy)
        #expect(busyWays.atCrossing > 50)
        #expect(busyWays.atResolution > 10)
    }

    @Test func batchesAndLatenessDoNotChangeTheSortedSignals() {
        let records = syntheticStream(seed: 7)
        let configuration = Self.busyConfiguration
        var reference = DetectionPipeline(configuration: configuration, eagerRules: false)
        let expected = Array(Self.calls(&reference, records, batch: records.count).joined())
        for (batch, lateness) in [(1, Int64(0)), (4096, 30 * second), (records.count, 30 * second), (1, 120 * second)] {
            var configuration = configuration
            configuration.lateness = lateness
            var eager = DetectionPipeline(configuration: configuration)
            let signals = Array(Self.calls(&eager, records, batch: batch).joined())
            let isFiring = { (signal: Signal) in Self.isEagerFiring(signal, configuration) }
            #expect(Self.episodes(signals) == Self.episodes(expected), "batch \(batch), lateness \(lateness)")
            #expect(Set(signals) == Set(expected), "batch \(batch), lateness \(lateness)")
            #expect(signals.filter { !isFiring($0) } == expected.filter { !isFiring($0) }, "batch \(batch), lateness \(lateness)")
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func shuffledInputFiresOncePerEpisode(seed: UInt64) {
        let sorted = syntheticStream(seed: 40 + seed)
        let configuration = Self.busyConfiguration
        // Arrival order: each record delayed by up to the lateness, so none is late.
        var generator = SplitMix(seed: seed)
        let lateness = configuration.lateness
        let shuffled = sorted.map { ($0.time + Int64(generator.next() % UInt64(lateness)), $0) }
            .sorted { $0.0 < $1.0 }.map(\.1)
        var eager = DetectionPipeline(configuration: configuration)
        var reference = DetectionPipeline(configuration: configuration, eagerRules: false)
        let signals = Array(Self.calls(&eager, shuffled, batch: 1 + Int(seed) * 7).joined())
        let expected = Array(Self.calls(&reference, sorted, batch: sorted.count).joined())
        #expect(eager.counters.lateRecords == 0)

        // All but the eager firings are the in-order ones, in order.
        let isFiring = { (signal: Signal) in Self.isEagerFiring(signal, configuration) }
        #expect(signals.filter { !isFiring($0) } == expected.filter { !isFiring($0) })

        // Per group: firing, resolved, firing, … as many episodes as in order; each firing is for a
        // window that really holds more than the threshold, within its in-order episode.
        let rules = Dictionary(uniqueKeysWithValues: configuration.rules.map { ($0.name, $0) })
        // The event times of each rule's matching records per group key, sorted, read once.
        var matchTimes: [String: [Int64]] = [:]
        for record in sorted {
            for rule in configuration.rules where rule.match.matches(record) {
                matchTimes[Signal.fingerprint(name: rule.name, key: rule.groupBy.values(of: record)), default: []].append(record.time)
            }
        }
        let fingerprints = Set(expected.filter(isFiring).map(\.fingerprint))
        #expect(fingerprints.count > 10)
        for fingerprint in fingerprints {
            let episodes = signals.filter { $0.fingerprint == fingerprint && $0.detector == .rule }
            let expectedEpisodes = expected.filter { $0.fingerprint == fingerprint && $0.detector == .rule }
            #expect(episodes.map(\.status) == expectedEpisodes.map(\.status), "\(fingerprint)")
            guard episodes.count == expectedEpisodes.count else { continue }
            for index in stride(from: 0, to: episodes.count, by: 2) {
                let firing = episodes[index], inOrder = expectedEpisodes[index]
                let rule = rules[firing.name]!
                #expect(firing.count == rule.threshold + 1)
                #expect(firing.end - firing.start <= rule.window)
                let inWindow = (matchTimes[firing.fingerprint] ?? []).filter { (firing.start...firing.end).contains($0) }
                #expect(inWindow.count > rule.threshold, "\(firing)")
                #expect(firing.end >= inOrder.end, "no earlier than the in-order crossing: \(firing)")
                // In order, the group fires for that window too: it is firing at its end.
                let firingThen = stride(from: 0, to: expectedEpisodes.count, by: 2).contains { episode in
                    expectedEpisodes[episode].end <= firing.end
                        && (episode + 1 == expectedEpisodes.count || firing.end <= expectedEpisodes[episode + 1].end)
                }
                #expect(firingThen, "\(firing)")
            }
        }
        #expect(eager.pendingMatches == 0)
    }

    // MARK: - Memory

    @Test func pendingMatchesAreBoundedByTheBuffer() {
        var configuration = DetectionConfiguration.rulesOnly(lateness: 3600 * second)
        configuration.maxBuffered = 50
        var pipeline = DetectionPipeline(configuration: configuration)
        var peak = 0
        for index in 0..<2000 {
            // Errors from 300 services, two per service a minute apart: nothing fires.
            let time = Double(index / 300) * 61 + Double(index % 300) * 0.1
            _ = pipeline.process(CollectionOfOne(record(time, service: "svc-\(index % 300)")))
            peak = max(peak, pipeline.pendingMatches)
        }
        #expect(peak <= 50)
        #expect(pipeline.counters.buffered <= 50)
        _ = pipeline.flush()
        #expect(pipeline.pendingMatches == 0)
        #expect(pipeline.pendingGroups == 0)
    }
}
