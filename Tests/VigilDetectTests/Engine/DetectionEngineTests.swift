import VigilTestSupport
import Testing
import VigilCore

@testable import VigilDetect

@Suite("Engine: event time, replay and restart")
struct DetectionEngineTests {
    /// A reload keeps what unchanged rules have counted, including records still held for
    /// lateness (their rule bits move with the rule's new position); a changed rule starts empty.
    @Test func aReloadKeepsTheStateOfUnchangedRules() {
        var kept = RuleConfiguration(name: "kept")
        kept.threshold = 3
        kept.window = 60 * second
        var changed = RuleConfiguration(name: "changed")
        changed.threshold = 3
        changed.window = 60 * second
        let engine = DetectionEngine(configuration: .rulesOnly([changed, kept], lateness: 10 * second))
        // Three records: two are past the watermark and counted, the last is held for lateness.
        #expect(engine.process([record(100), record(105), record(115)]).isEmpty)
        var next = changed
        next.threshold = 1_000
        var added = RuleConfiguration(name: "added")
        added.threshold = 1_000
        let changes = engine.reconfigure(to: .rulesOnly([added, next, kept], lateness: 30 * second))
        #expect(changes.addedRules == ["added"] && changes.changedRules == ["changed"] && changes.removedRules.isEmpty)
        #expect(changes.needRestart == ["lateness"])
        #expect(engine.configuration.lateness == 10 * second)
        // The fourth record releases the held one; "kept" reaches four within its window and fires,
        // "changed" (now 1,000) does not.
        let signals = engine.process([record(130)]) + engine.flush()
        #expect(signals.map(\.name) == ["kept"])
        #expect(engine.reconfigure(to: engine.configuration).isEmpty)
    }

    @Test func outOfOrderRecordsWithinTheLatenessCountInTheirWindow() {
        var rule = RuleConfiguration(name: "r")
        rule.threshold = 2
        rule.window = 10 * second
        let engine = DetectionEngine(configuration: .rulesOnly([rule], lateness: 10 * second))
        let signals = engine.process([record(100), record(95), record(91)]) + engine.flush()
        #expect(signals.count == 1)
        #expect(signals.first?.start == 91 * second)
        #expect(signals.first?.end == 100 * second)
        #expect(engine.counters.lateRecords == 0)
    }

    @Test func lateRecordsAreCountedAndLeftOut() {
        var rule = RuleConfiguration(name: "r")
        rule.threshold = 2
        rule.window = 20 * second
        let engine = DetectionEngine(configuration: .rulesOnly([rule], lateness: 10 * second))
        // 85 s is older than the watermark (100 - 10): late, so the window holds only two records.
        let signals = engine.process([record(100), record(85), record(99)]) + engine.flush()
        #expect(signals.isEmpty)
        #expect(engine.counters.lateRecords == 1)
        #expect(engine.counters.records == 3)
        // A record exactly at the watermark is not late.
        let edge = DetectionEngine(configuration: .rulesOnly([rule], lateness: 10 * second))
        _ = edge.process([record(100), record(90)])
        #expect(edge.counters.lateRecords == 0)
        #expect(edge.counters.watermark == 90 * second)
    }

    @Test func theReorderBufferIsBounded() {
        var configuration = DetectionConfiguration.rulesOnly(lateness: 3600 * second)
        configuration.maxBuffered = 10
        let engine = DetectionEngine(configuration: configuration)
        _ = engine.process((0..<100).map { record(Double($0), severity: .info) })
        #expect(engine.counters.buffered <= 10)
        #expect(engine.counters.forcedReleases == 90)
    }

    @Test func replayAndShuffledLiveTrafficGiveTheSameSignals() {
        let sorted = syntheticStream()
        let configuration = DetectionConfiguration.everything
        let replayed = run(configuration, sorted)
        let kinds = Set(replayed.map(\.detector))
        #expect(kinds == Set(DetectorKind.allCases), "the stream should exercise every detector: \(kinds)")
        #expect(replayed.contains { $0.name == "rate.drop" && $0.key.first?.value == "search" })
        #expect(replayed.contains { $0.name == "error_ratio" && $0.key.first?.value == "auth" })

        // Arrival order: each record delayed by up to the lateness, so none is late.
        var generator = SplitMix(seed: 99)
        let lateness = configuration.lateness
        let shuffled = sorted.map { ($0.time + Int64(generator.next() % UInt64(lateness)), $0) }
            .sorted { $0.0 < $1.0 }.map(\.1)
        #expect(shuffled != sorted)
        // Uneven batches, as live traffic arrives.
        var batches: [Range<Int>] = []
        var start = 0
        while start < shuffled.count {
            let end = min(shuffled.count, start + 1 + Int(generator.next() % 500))
            batches.append(start..<end)
            start = end
        }
        func evaluate(_ records: [LogRecord], eagerRules: Bool) -> [Signal] {
            var pipeline = DetectionPipeline(configuration: configuration, eagerRules: eagerRules)
            var signals: [Signal] = []
            for batch in batches { signals += pipeline.process(records[batch]) }
            signals += pipeline.flush()
            #expect(pipeline.counters.lateRecords == 0)
            return signals
        }
        // Evaluated as the watermark releases records, shuffled input gives exactly the replay's
        // signals, in the same order.
        let inOrder = evaluate(sorted, eagerRules: false)
        #expect(evaluate(shuffled, eagerRules: false) == inOrder)
        // Rules firing as the crossing record arrives (the engine's default) give a sorted replay the
        // same signals, a rule's firing coming earlier in the list (at its record, not at its release).
        #expect(replayed.count == inOrder.count && Set(replayed) == Set(inOrder))
        // Live, a firing reports the window as it was seen, which a record arriving later may widen.
        // Everything else is the replay's, in the same order, and each group fires as often.
        let live = evaluate(shuffled, eagerRules: true)
        let isRuleFiring = { (signal: Signal) in signal.detector == .rule && signal.status == .firing }
        #expect(live.filter { !isRuleFiring($0) } == replayed.filter { !isRuleFiring($0) })
        #expect(
            Dictionary(grouping: live.filter(isRuleFiring), by: \.fingerprint).mapValues(\.count)
                == Dictionary(grouping: replayed.filter(isRuleFiring), by: \.fingerprint).mapValues(\.count))
    }

    @Test func restartWithWarmUpDoesNotFireAgain() {
        let records = syntheticStream()
        let configuration = DetectionConfiguration.everything
        // Split in the middle of the pay error burst (minute 21).
        let split = records.firstIndex { $0.time >= 21 * 60 * second }!
        let before = Array(records[..<split]), after = Array(records[split...])

        let original = DetectionEngine(configuration: configuration)
        let firstRun = original.process(before)
        let continued = original.process(after) + original.flush()
        #expect(firstRun.contains { $0.name == "errors" && $0.key.first?.value == "pay" && $0.status == .firing })

        let restartedEngine = DetectionEngine(configuration: configuration)
        restartedEngine.warmUp(before)
        #expect(restartedEngine.counters.records == 0)
        let afterRestart = restartedEngine.process(after) + restartedEngine.flush()
        #expect(!afterRestart.contains { $0.name == "errors" && $0.key.first?.value == "pay" && $0.status == .firing })
        #expect(afterRestart == continued)
    }
}
