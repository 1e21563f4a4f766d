import Testing
import VigilCore

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

    @Test func spikeFiresAfterWarmUpAndResolvesWithHysteresis() throws {
        // 100 per bucket for 15 min (warm-up is 10 min), then 400, then 144 (between the close and
        // open thresholds: stays open), then 100 (resolves).
        let counts = Array(repeating: 100, count: 90) + [400, 144, 100, 100]
        let signals = run(configuration, stream(counts))
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(signals.map(\.name) == ["rate.spike", "rate.spike"])
        let spike = signals[0]
        #expect(spike.detector == .rate)
        #expect(spike.count == 400)
        #expect(spike.start == 900 * second)
        #expect(spike.end == 910 * second)
        #expect(spike.score >= 5)
        #expect(spike.evidence.count == 5)
        #expect(spike.title == "api: rate spike: 400 records in 10s, expected about 100")
        // Why: 400 against about 100, whose band of normal counts stops well below 400.
        let why = try #require(spike.explanation)
        #expect(why.measure == "records per 10s")
        #expect(why.observed == 400)
        #expect(abs(why.expected - 100) < 1)
        #expect(why.lower < why.expected && why.expected < why.upper && why.upper < why.observed)
        #expect(why.parameters.contains(GroupValue(name: "open_threshold", value: "5.0")))
        #expect(why.summary.hasPrefix("400 records per 10s, expected 100"))
        #expect(spike.jsonLine.contains(#""explanation":{"#))
        let resolved = signals[1]
        #expect(resolved.end == 930 * second)
        #expect(resolved.count == 400 + 144 + 100)
        #expect(resolved.fingerprint == spike.fingerprint)
    }

    @Test func noSignalsDuringWarmUp() {
        let counts = Array(repeating: 100, count: 30) + [400, 100, 100]
        #expect(run(configuration, stream(counts)).isEmpty)
    }

    @Test func minimumCountFloor() {
        // A quiet stream going from 1 to 8 per bucket is far above its baseline but under min_count.
        // About one record every tenth bucket, then 9 in one bucket.
        let counts = (0..<90).map { $0 % 10 == 0 ? 1 : 0 } + [9, 0, 0, 1]
        #expect(run(configuration, stream(counts)).isEmpty)
        var loud = configuration
        loud.rate.minimumCount = 5
        #expect(run(loud, stream(counts)).map(\.status) == [.firing, .resolved])
    }

    @Test func silenceIsADropAndRecoveryResolvesIt() {
        let engine = DetectionEngine(configuration: configuration)
        var signals = engine.process(stream(Array(repeating: 50, count: 90)))
        #expect(signals.isEmpty)
        // Nothing arrives: the daemon advances event time with its clock.
        signals = engine.advance(to: 960 * second)
        #expect(signals.map(\.name) == ["rate.drop"])
        #expect(signals.first?.status == .firing)
        #expect(signals.first?.count == 0)
        #expect(signals.first?.title.contains("went silent") == true)
        #expect(signals.first?.start == 900 * second)
        // Traffic returns.
        signals = engine.process(stream(Array(repeating: 50, count: 3), offset: 96)) + engine.flush()
        #expect(signals.map(\.status) == [.resolved])
        #expect(signals.first?.name == "rate.drop")
    }

    @Test func aGapOfYearsClosesAHandfulOfBucketsThenRestartsAndTheSilenceStillResolves() {
        // 100 years of 10 s buckets is 315 million: closing each one would not finish. The
        // detector closes bucketCatchUpLimit of them (the silence is noticed),
        // then jumps and learns afresh.
        let engine = DetectionEngine(configuration: configuration)
        var signals = engine.process(stream(Array(repeating: 50, count: 90)))
        let later = 90 * 10 + 100 * 365 * 86_400
        signals += engine.advance(to: Int64(later) * second)
        #expect(signals.map(\.name) == ["rate.drop"])
        #expect(signals.first?.status == .firing)
        #expect(signals.first?.start == 900 * second)
        // Traffic returns a century later: the drop that stayed open resolves, and the fresh
        // baseline (in warm-up) opens nothing new.
        signals = engine.process(stream(Array(repeating: 50, count: 3), offset: later / 10)) + engine.flush()
        #expect(signals.map(\.status) == [.resolved])
        #expect(signals.first?.name == "rate.drop")
        #expect(signals.first?.start == 900 * second)
    }

    @Test func oneStreamPerGroupKey() {
        let records = (stream(Array(repeating: 100, count: 93), service: "a") + stream(Array(repeating: 100, count: 90) + [400, 100], service: "b"))
            .sorted { $0.time < $1.time }
        let signals = run(configuration, records)
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(Set(signals.map(\.key)) == [[GroupValue(name: "service", value: "b")]])
    }

    @Test func medianMADBaselineAlsoDetects() {
        var robust = configuration
        robust.rate.baseline.method = .medianMAD
        let counts = (0..<90).map { 100 + ($0 % 7) - 3 } + [400, 100, 100]
        let signals = run(robust, stream(counts))
        #expect(signals.first?.name == "rate.spike")
        #expect(signals.first?.status == .firing)
    }
}
