import Foundation

/// Scores a numeric series value by value: the one detector behind the rate detector's signals in
/// vigild (a stream's record count per bucket) and `vigil detect-series` (NAB evaluation). The score
/// is the mean of the novelty of the value's quantised level after the previous one
/// (`TransitionNovelty`) and a z-score against a `Baseline`, squashed to [0, 1), with a warm-up and
/// a rest period after an alert (bench/nab/ALGORITHM.md).
///
/// Per value `x` (index `n`): `novelty` from `TransitionNovelty`; `z = (x − mean) / scale` against
/// the baseline before `x` (the scale has a 1e-9 relative epsilon, and for counts the Poisson
/// spread √mean as a floor), then the baseline learns `x` (during the warm-up as a running mean,
/// so the first value does not anchor it); `score = (novelty + 1 − exp(−|z| /
/// squashScale)) / 2`. `n < warmUp` is not an alert; a score of at least `openThreshold` is one and
/// rests the next `restPeriod` values. This reproduces `bench/nab/prototype.py`.
public struct SeriesAnomalyScorer: Sendable {
    /// The parameters.
    public let parameters: SeriesScorerParameters
    private var baseline = Baseline()
    private var novelty: TransitionNovelty
    private var index = 0
    /// The index of the last value whose score reached `openThreshold`.
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

    /// Scores `value` observed at `time` (ns; used only with seasonality), then learns it.
    /// Non-finite values score 0 and are not learnt; values beyond `largestLearnt` score 1 after the
    /// warm-up and are not learnt either.
    /// `minimumScale` is a floor on the baseline's scale for this value (the error ratio's binomial
    /// spread).
    public mutating func observe(_ value: Double, at time: Int64, minimumScale: Double = 0) -> SeriesScore {
        let warmAlready = index >= max(1, parameters.warmUp)
        guard value.isFinite else { return SeriesScore(unlearnt: 0, warm: warmAlready) }
        guard abs(value) <= Self.largestLearnt else { return SeriesScore(unlearnt: warmAlready ? 1 : 0, warm: warmAlready) }
        let surprise = novelty.observe(value)
        let reading = baseline.observe(
            value, at: time, parameters: parameters.baseline, minimumScale: minimumScale, warmStart: parameters.warmUp,
            scratch: &scratch)
        let z = reading.score.isNaN ? 0 : reading.score
        let score = (surprise + parameters.squash(z)) / 2
        let position = index
        index += 1
        let warm = position >= parameters.warmUp
        let resting = warm && position - lastAlert < parameters.restPeriod
        if warm, score >= parameters.openThreshold { lastAlert = position }
        return SeriesScore(score: score, novelty: surprise, z: z, reading: reading, warm: warm, resting: resting)
    }

    /// The score as `vigil detect-series` prints it (`SeriesScore.alertScore`).
    public mutating func score(value: Double, at time: Int64) -> Double {
        observe(value, at: time).alertScore
    }
}

/// One value's score from `SeriesAnomalyScorer`, with the parts that explain it.
public struct SeriesScore: Sendable, Hashable {
    /// The score in [0, 1]: the mean of `novelty` and the squashed `|z|`.
    public var score: Double
    /// The novelty half: 0, or 0.75 for a new extreme or a level that never followed the previous
    /// one.
    public var novelty: Double
    /// The signed z-score against the baseline (positive above it).
    public var z: Double
    /// The baseline's expectation and scale before the value.
    public var reading: Baseline.Reading?
    /// Past the warm-up.
    public var warm: Bool
    /// Within the rest period after an alert.
    public var resting: Bool

    /// The score as an alert: `score`, but 0 during the warm-up and the rest period (what `vigil
    /// detect-series` prints, and what opens a signal in vigild when it reaches `open_threshold`).
    public var alertScore: Double { warm && !resting ? score : 0 }

    init(score: Double, novelty: Double, z: Double, reading: Baseline.Reading?, warm: Bool, resting: Bool) {
        (self.score, self.novelty, self.z, self.reading, self.warm, self.resting) = (score, novelty, z, reading, warm, resting)
    }

    /// The score's two halves, as a signal's explanation lists them.
    var halves: [GroupValue] {
        [GroupValue(name: "novelty", value: String(novelty)), GroupValue(name: "z", value: SignalExplanation.format(z))]
    }

    /// A value that was not learnt (non-finite or enormous).
    init(unlearnt score: Double, warm: Bool) {
        self.init(score: score, novelty: 0, z: 0, reading: nil, warm: warm, resting: false)
    }
}
