import Foundation
import Testing
import VigilCore
import VigilTestSupport

@testable import VigilDetect

@Suite("Rate detector")
struct RateDetectorTests {
    /// `counts[i]` records in the 10 s bucket `i`, spread evenly, for `service`.
    func stream(_ counts: [Int], service: String = "api", offset: Int = 0) -> [LogRecord] {
        var records: [LogRecord] = []
        for (bucket, count) in counts.enumerated() {
            for index in 0..<count {
                let time = Double(offset + bucket) * 10 + Double(index) * 10 / Double(count)
                records.append(record(time, service: service, severity: .info, message: "GET /x 200"))
            }
        }
        return records
    }

    var configuration: DetectionConfiguration { .detectorOnly(.rate) }
    /// Buckets past the default warm-up (150 buckets of 10 s).
    static let learnt = 160

    @Test func spikeFiresAfterWarmUpAndResolvesWithHysteresis() throws {
        // 100 per bucket past the warm-up, then 400 (opens), 300 (still far above: stays open), then
        // 100 (resolves).
        let counts = Array(repeating: 100, count: Self.learnt) + [400, 300, 100, 100]
        let signals = run(configuration, stream(counts))
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(signals.map(\.name) == ["rate.spike", "rate.spike"])
        let spike = signals[0]
        #expect(spike.detector == .rate)
        #expect(spike.count == 400)
        #expect(spike.start == 1600 * second)
        #expect(spike.end == 1610 * second)
        #expect(spike.score >= 0.6 && spike.score <= 1)
        #expect(spike.evidence.count == 5)
        #expect(spike.title == "api: rate spike: 400 records in 10s, expected about 100")
        // Why: 400 against about 100, whose band of normal counts stops well below 400; the score's
        // halves are listed with the settings.
        let why = try #require(spike.explanation)
        #expect(why.measure == "records per 10s")
        #expect(why.observed == 400)
        #expect(abs(why.expected - 100) < 1)
        #expect(why.lower < why.expected && why.expected < why.upper && why.upper < why.observed)
        #expect(why.parameters.contains(GroupValue(name: "open_threshold", value: "0.6")))
        #expect(why.parameters.contains(GroupValue(name: "novelty", value: "0.75")))
        #expect(why.parameters.contains { $0.name == "z" && Double($0.value)! > 25 })
        #expect(why.summary.hasPrefix("400 records per 10s, expected 100"))
        #expect(spike.jsonLine.contains(#""explanation":{"#))
        let resolved = signals[1]
        #expect(resolved.end == 1630 * second)
        #expect(resolved.count == 400 + 300 + 100)
        #expect(resolved.fingerprint == spike.fingerprint)
    }

    @Test func noSignalsDuringWarmUp() {
        let counts = Array(repeating: 100, count: 140) + [400, 100, 100]
        #expect(run(configuration, stream(counts)).isEmpty)
    }

    @Test func minimumCountFloor() {
        // A quiet stream going from about one record every tenth bucket to 9 in one bucket: an
        // alert, but under min_count.
        let counts = (0..<Self.learnt).map { $0 % 10 == 0 ? 1 : 0 } + [9, 0, 0, 1]
        #expect(run(configuration, stream(counts)).isEmpty)
        var loud = configuration
        loud.rate.minimumCount = 5
        #expect(run(loud, stream(counts)).map(\.status) == [.firing, .resolved])
    }

    @Test func aDropFiresWhenTheCountFallsFarBelowItsExpectation() throws {
        var generator = SplitMix(seed: 5)
        let counts = (0..<Self.learnt).map { _ in poisson(200, &generator) } + [20, 20, 200, 200]
        let signals = run(configuration, stream(counts))
        #expect(signals.map(\.name) == ["rate.drop", "rate.drop"])
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(signals.first?.start == Int64(Self.learnt) * 10 * second)
        let title = try #require(signals.first?.title)
        let prefix = "api: rate drop: 20 records in 10s, expected about "
        #expect(title.hasPrefix(prefix))
        // About 200: the baseline starts at the first scored bucket's count (Poisson, ±14) and
        // moves 0.2 % a bucket.
        #expect((170...230).contains(Int(title.dropFirst(prefix.count)) ?? 0), "\(title)")
    }

    @Test func silenceIsADropAndRecoveryResolvesIt() {
        let engine = DetectionEngine(configuration: configuration)
        var signals = engine.process(stream(Array(repeating: 50, count: Self.learnt)))
        #expect(signals.isEmpty)
        // Nothing arrives: the daemon advances event time with its clock.
        signals = engine.advance(to: 1660 * second)
        #expect(signals.map(\.name) == ["rate.drop"])
        #expect(signals.first?.status == .firing)
        #expect(signals.first?.count == 0)
        #expect(signals.first?.title.contains("went silent") == true)
        #expect(signals.first?.start == 1600 * second)
        // Traffic returns.
        signals = engine.process(stream(Array(repeating: 50, count: 3), offset: 166)) + engine.flush()
        #expect(signals.map(\.status) == [.resolved])
        #expect(signals.first?.name == "rate.drop")
    }

    @Test func aQuietStreamThatStopsIsADropAfterTheSilencePeriod() {
        // 12 per bucket: an empty bucket scores under the threshold (a new minimum, but only 3.5
        // Poisson spreads away), so the silence rule opens the drop: 60 s without records while 12
        // were expected.
        let engine = DetectionEngine(configuration: configuration)
        #expect(engine.process(stream(Array(repeating: 12, count: Self.learnt))).isEmpty)
        let signals = engine.advance(to: 1670 * second)
        #expect(signals.map(\.name) == ["rate.drop"])
        #expect(signals.first?.start == 1650 * second, "the sixth silent bucket")
        #expect(signals.first?.title == "api: went silent: no records for 1m, expected about 12.0 per 10s")
        // Without the silence rule, nothing opens.
        var scoreOnly = configuration
        scoreOnly.rate.silence = 0
        let quiet = DetectionEngine(configuration: scoreOnly)
        #expect(quiet.process(stream(Array(repeating: 12, count: Self.learnt))).isEmpty)
        #expect(quiet.advance(to: 1670 * second).isEmpty)
    }

    @Test func aGapOfYearsClosesAHandfulOfBucketsThenRestartsAndTheSilenceStillResolves() {
        // 100 years of 10 s buckets is 315 million: closing each one would not finish. The
        // detector closes bucketCatchUpLimit of them (the silence is noticed),
        // then jumps and learns afresh.
        let engine = DetectionEngine(configuration: configuration)
        var signals = engine.process(stream(Array(repeating: 50, count: Self.learnt)))
        let later = Self.learnt * 10 + 100 * 365 * 86_400
        signals += engine.advance(to: Int64(later) * second)
        #expect(signals.map(\.name) == ["rate.drop"])
        #expect(signals.first?.status == .firing)
        #expect(signals.first?.start == 1600 * second)
        // Traffic returns a century later: the drop that stayed open resolves, and the fresh
        // scorer (in warm-up) opens nothing new.
        signals = engine.process(stream(Array(repeating: 50, count: 3), offset: later / 10)) + engine.flush()
        #expect(signals.map(\.status) == [.resolved])
        #expect(signals.first?.name == "rate.drop")
        #expect(signals.first?.start == 1600 * second)
    }

    @Test func oneStreamPerGroupKey() {
        let quiet = stream(Array(repeating: 100, count: Self.learnt + 3), service: "a")
        let spiking = stream(Array(repeating: 100, count: Self.learnt) + [400, 100], service: "b")
        let signals = run(configuration, (quiet + spiking).sorted { $0.time < $1.time })
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(Set(signals.map(\.key)) == [[GroupValue(name: "service", value: "b")]])
    }

    @Test func medianMADBaselineAlsoDetects() {
        var robust = configuration
        robust.rate.scorer.baseline.method = .medianMAD
        let counts = (0..<Self.learnt).map { 100 + ($0 % 7) - 3 } + [400, 100, 100]
        let signals = run(robust, stream(counts))
        #expect(signals.first?.name == "rate.spike")
        #expect(signals.first?.status == .firing)
    }

    @Test func aStepUpFiresOnceAndResolvesOnceTheNewLevelIsLearnt() {
        var generator = SplitMix(seed: 11)
        let counts = (0..<Self.learnt).map { _ in poisson(100, &generator) } + (0..<300).map { _ in poisson(300, &generator) }
        let signals = run(configuration, stream(counts))
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(signals.first?.name == "rate.spike")
        #expect(signals.first?.start == Int64(Self.learnt) * 10 * second)
    }
}

/// A Poisson-distributed count with mean `mean` (normal approximation above 50).
func poisson(_ mean: Double, _ generator: inout SplitMix) -> Int {
    if mean > 50 {
        // Box–Muller.
        let u = Double.random(in: Double.ulpOfOne..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
        return max(0, Int((mean + mean.squareRoot() * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)).rounded()))
    }
    let limit = exp(-mean)
    var count = 0, product = Double.random(in: 0..<1, using: &generator)
    while product > limit {
        count += 1
        product *= Double.random(in: 0..<1, using: &generator)
    }
    return count
}
