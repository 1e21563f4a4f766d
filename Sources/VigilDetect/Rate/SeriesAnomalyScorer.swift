import Foundation

/// Scores a numeric series value by value, for `vigil detect-series` (NAB evaluation): the mean of
/// the novelty of the value's quantised level after the previous one (`TransitionNovelty`) and a
/// z-score against the rate detector's `Baseline` squashed to [0, 1), with a warm-up and a rest
/// period after an alert (bench/nab/ALGORITHM.md).
///
/// Per value `x` (index `n`): `novelty` from `TransitionNovelty`; `z = |x − mean| / (sd + 1e-9
/// (|mean| + 1))` against the baseline before `x`, then the baseline learns `x`; `score = (novelty +
/// 1 − exp(−z / squashScale)) / 2`. `n < warmUp` scores 0; a score of at least `restThreshold`
/// silences the next `restPeriod` values. This reproduces `bench/nab/prototype.py`.
public struct SeriesAnomalyScorer {
    /// The parameters.
    public let parameters: SeriesScorerParameters
    private var baseline = Baseline()
    private var novelty: TransitionNovelty
    private var index = 0
    /// The index of the last value whose score reached `restThreshold`.
    private var lastAlert = Int.min / 2
    private var scratch: [Double] = []

    /// Values beyond this magnitude are not learnt: their squares would overflow the variance and
    /// blind the baseline for good.
    public static let largestLearnt = 1e150

    /// A scorer that has seen nothing.
    public init(parameters: SeriesScorerParameters = SeriesScorerParameters()) {
        self.parameters = parameters
        novelty = TransitionNovelty(levels: parameters.levels)
    }

    /// The anomaly score of `value` observed at `time` (ns; used only with seasonality), in [0, 1].
    /// Non-finite values score 0 and are not learnt; values beyond `largestLearnt` score 1 after the
    /// warm-up and are not learnt either.
    public mutating func score(value: Double, at time: Int64) -> Double {
        guard value.isFinite else { return 0 }
        guard abs(value) <= Self.largestLearnt else { return index >= max(1, parameters.warmUp) ? 1 : 0 }
        let surprise = novelty.observe(value)
        let reading = baseline.observe(value, at: time, parameters: parameters.baseline, scratch: &scratch)
        let z = reading.score.isNaN ? 0 : 1 - exp(-abs(reading.score) / parameters.squashScale)
        let score = (surprise + z) / 2
        let position = index
        index += 1
        guard position >= parameters.warmUp else { return 0 }
        let silenced = position - lastAlert < parameters.restPeriod
        if score >= parameters.restThreshold { lastAlert = position }
        return silenced ? 0 : score
    }
}
