import Foundation
import Testing
import VigilTestSupport

@testable import VigilDetect

/// The rate detector's scorer on plain count series (10 s buckets): the shapes an operator expects
/// it to report, and the ones it must stay quiet on.
@Suite("Series scorer on counts")
struct SeriesAnomalyScorerTests {
    let parameters = RateDetectorConfiguration.defaultScorer

    /// The indices whose alert score reaches the open threshold.
    func alerts(_ values: [Double]) -> [Int] {
        var scorer = SeriesAnomalyScorer(parameters: parameters)
        return values.indices.filter { scorer.observe(values[$0], at: Int64($0) * 10_000_000_000).alertScore >= parameters.openThreshold }
    }

    func noisy(_ means: [Double], seed: UInt64) -> [Double] {
        var generator = SplitMix(seed: seed)
        return means.map { Double(poisson($0, &generator)) }
    }

    @Test func aStepASpikeAndADropToZeroAreAlerts() {
        let steady = Array(repeating: 100.0, count: 400)
        #expect(alerts(noisy(steady + Array(repeating: 300, count: 200), seed: 1)) == [400])
        #expect(alerts(noisy(steady + [400] + steady, seed: 2)) == [400])
        #expect(alerts(noisy(steady + Array(repeating: 0, count: 50), seed: 3)) == [400])
    }

    @Test func aSlowDriftIsNotAnAlert() {
        // From 100 to 200 records per bucket over 8 hours.
        let means = (0..<2_880).map { 100 + 100 * Double($0) / 2_880 }
        #expect(alerts(noisy(means, seed: 4)).isEmpty)
    }

    @Test func aConstantSeriesIsNotAnAlertNorIsOneMore() {
        #expect(alerts(Array(repeating: 100, count: 2_000)).isEmpty)
        #expect(alerts(Array(repeating: 100, count: 500) + [101, 100, 99, 100]).isEmpty)
        #expect(alerts(Array(repeating: 0, count: 500) + [1, 0]).isEmpty)
    }

    @Test func aDailyCycleIsNotAnAlertOnceLearnt() {
        // Between 50 and 150 records per bucket over each day, for three days.
        let day = 8_640
        let means = (0..<(3 * day)).map { 100 * (1 + 0.5 * sin(2 * Double.pi * Double($0) / Double(day))) }
        let found = alerts(noisy(means, seed: 6))
        #expect(found.filter { $0 >= 2 * day }.isEmpty, "alerts on the third day: \(found)")
    }
}
