import VigilTestSupport
import Testing

@testable import VigilDetect

@Suite("Baseline and series scorer")
struct BaselineTests {
    @Test func ewmaLearnsTheLevelAndScoresDeviations() {
        var baseline = Baseline()
        var parameters = BaselineParameters()
        parameters.alpha = 0.05
        var scratch: [Double] = []
        for _ in 0..<200 { _ = baseline.observe(50, at: 0, parameters: parameters, minimumScale: 1, scratch: &scratch) }
        let reading = baseline.observe(60, at: 0, parameters: parameters, minimumScale: 1, scratch: &scratch)
        #expect(abs(reading.expected - 50) < 1e-9)
        #expect(abs(reading.scale - 1) < 1e-6)
        #expect(abs(reading.score - 10) < 1e-6)
    }

    @Test func thePoissonFloorScoresCountsByTheirSpread() {
        var baseline = Baseline()
        var parameters = BaselineParameters()
        parameters.poissonFloor = true
        var scratch: [Double] = []
        for _ in 0..<100 { _ = baseline.observe(100, at: 0, parameters: parameters, scratch: &scratch) }
        // A constant 100 has no spread of its own: the Poisson spread √100 = 10 stands in.
        let reading = baseline.observe(0, at: 0, parameters: parameters, scratch: &scratch)
        #expect(abs(reading.expected - 100) < 1e-6)
        #expect(abs(reading.score + 10) < 1e-6)
    }

    @Test func seriesScorerWarmsUpAndRestsAfterAnAlert() {
        var scorer = SeriesAnomalyScorer()
        // 10, 12, 10, 12…: every transition is known after a few values, the z-scores are small.
        let pattern = { (index: Int) in index % 2 == 0 ? 10.0 : 12.0 }
        let scores = (0..<300).map { scorer.score(value: pattern($0), at: Int64($0)) }
        #expect(scores.prefix(150).allSatisfy { $0 == 0 })
        #expect(scores.allSatisfy { $0 >= 0 && $0 < 0.5 })
        // A spike to a new maximum: novel (0.75) and far from the mean: an alert.
        let spike = scorer.score(value: 40, at: 300)
        #expect(spike >= 0.75)
        // The next 49 values are silenced; the 50th after the alert is scored again.
        let rest = (301..<350).map { scorer.score(value: pattern($0), at: Int64($0)) }
        #expect(rest.allSatisfy { $0 == 0 })
        #expect(scorer.score(value: -50, at: 350) >= 0.75, "a new minimum")
        #expect(scorer.score(value: .nan, at: 401) == 0)
    }

    @Test func transitionNoveltyIsANewExtremeOrANewFollowerOfTheLastBin() {
        var novelty = TransitionNovelty(levels: 4)
        #expect(novelty.observe(0) == 0, "no predecessor")
        #expect(novelty.observe(8) == 0.75, "a new maximum")
        #expect(novelty.observe(0) == 0.75, "the first follower of the bin above the range")
        #expect(novelty.observe(8) == 0.75, "bin 1 had no follower (a new extreme is not learnt)")
        #expect(novelty.observe(0) == 0.75)
        // A repeating pattern stops being novel; a new extreme is novel again.
        for _ in 0..<5 {
            #expect(novelty.observe(8) == 0)
            #expect(novelty.observe(0) == 0)
        }
        #expect(novelty.observe(4) == 0.75, "a known bin with a new follower")
        #expect(novelty.observe(-5) == 0.75)
        #expect(novelty.observe(20) == 0.75)
    }

    @Test func seriesScorerGivesAScoreInRangeForHostileValuesAndStaysUseful() {
        var scorer = SeriesAnomalyScorer()
        var scores: [Double] = []
        let hostile: [Double] = [.nan, .infinity, -.infinity, -1e300, 1e300, .greatestFiniteMagnitude, -5, 0]
        for index in 0..<1_000 {
            // Steady values with a hostile one every 50, from the start (warm-up included).
            let value = index % 50 == 7 ? hostile[(index / 50) % hostile.count] : 10 + Double(index % 3)
            scores.append(scorer.score(value: value, at: Int64(index)))
        }
        #expect(scores.count == 1_000)
        #expect(scores.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        // The enormous values were not learnt: an ordinary spike still stands out afterwards (once
        // a rest period has passed).
        for index in 1_000..<1_200 { _ = scorer.score(value: 10 + Double(index % 3), at: Int64(index)) }
        var spiked = scorer
        #expect(spiked.score(value: 40, at: 1_200) > 0.5)
        // A constant series, and a series of one value, score 0 once the model has them.
        var constant = SeriesAnomalyScorer()
        let flat = (0..<500).map { constant.score(value: 3, at: Int64($0)) }
        #expect(flat.allSatisfy { $0 == 0 })
        var single = SeriesAnomalyScorer()
        #expect(single.score(value: 1, at: 0) == 0)
    }

    @Test func seriesScorerMatchesThePrototypeFormula() {
        // A hand-computed check of the first scored values with warm-up 2, no rest.
        var parameters = SeriesScorerParameters()
        parameters.warmUp = 2
        parameters.restPeriod = 0
        var scorer = SeriesAnomalyScorer(parameters: parameters)
        #expect(scorer.score(value: 1, at: 0) == 0)
        #expect(scorer.score(value: 3, at: 1) == 0)
        // During the warm-up the baseline is a running mean: after 1 and 3, mean = 2 and var = 1
        // (weight 1/2); 5 is above the range [1, 3]: a new maximum, novelty 0.75.
        let mean = 1.0 + 0.5 * 2, variance = (1 - 0.5) * (0 + 0.5 * 2 * 2)
        let sd = variance.squareRoot() + 1e-9 * (abs(mean) + 1)
        let z = abs(5 - mean) / sd
        #expect(scorer.score(value: 5, at: 2) == (0.75 + 1 - exp(-z / 10)) / 2)
    }
}

import Foundation
