import Foundation

/// Scores a numeric series value by value, for `vigil detect-series` (NAB evaluation): the rate
/// detector's `Baseline` gives a z-score against the values before, squashed to [0, 1), with a
/// warm-up and suppression of repeats (a burst of high scores keeps only its first one high).
///
/// Per value `x` (index `n`): `z = |x − mean| / (sd + 1e-9 (|mean| + 1))` against the baseline before
/// `x`, then the baseline learns `x`; `n < warmUp` scores 0; else `raw = 1 − exp(−z / squashScale)`,
/// and the score is `raw × damping` when `raw` does not exceed the largest raw score of the previous
/// `suppressionWindow` values, else `raw`. This reproduces `bench/nab/prototype.py`.
public struct SeriesAnomalyScorer {
    /// The parameters.
    public let parameters: SeriesScorerParameters
    private var baseline = Baseline()
    private var recent: [Double] = []
    private var nextRecent = 0
    private var scratch: [Double] = []

    /// A scorer that has seen nothing.
    public init(parameters: SeriesScorerParameters = SeriesScorerParameters()) {
        self.parameters = parameters
    }

    /// Values beyond this magnitude are not learnt: their squares would overflow the variance and
    /// blind the baseline for good.
    public static let largestLearnt = 1e150

    /// The anomaly score of `value` observed at `time` (ns; used only with seasonality), in [0, 1].
    /// Non-finite values score 0 and are not learnt; values beyond `largestLearnt` score 1 after the
    /// warm-up and are not learnt either.
    public mutating func score(value: Double, at time: Int64) -> Double {
        guard value.isFinite else { return 0 }
        guard abs(value) <= Self.largestLearnt else { return baseline.observations >= max(1, parameters.warmUp) ? 1 : 0 }
        let index = baseline.observations
        let reading = baseline.observe(value, at: time, parameters: parameters.baseline, scratch: &scratch)
        guard index > 0, index >= parameters.warmUp else { return 0 }
        let raw = reading.score.isNaN ? 0 : 1 - exp(-abs(reading.score) / parameters.squashScale)
        let window = parameters.suppressionWindow
        guard window > 0 else { return raw }
        let previousMax = recent.max() ?? 0
        if recent.count < window {
            recent.append(raw)
        } else {
            recent[nextRecent] = raw
            nextRecent = (nextRecent + 1) % window
        }
        return raw <= previousMax ? raw * parameters.damping : raw
    }
}
