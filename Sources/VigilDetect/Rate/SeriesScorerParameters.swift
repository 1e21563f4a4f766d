import Foundation
import VigilCore

/// The parameters of `SeriesAnomalyScorer`, all in one place (see `bench/nab/ALGORITHM.md`). The
/// defaults are one configuration for every series and stream, chosen by leave-one-category-out
/// cross-validation on the NAB subset (bench/nab/loco.py) and by the false alarms per day of
/// steady count streams (bench/nab/false_alarms.py); `[detectors.rate]` in conf.d/30-detect.toml
/// lists them.
public struct SeriesScorerParameters: Sendable, Hashable {
    /// The baseline: an EWMA with `alpha` 0.002 and a 1e-9 relative epsilon on the scale (and, for
    /// counts, the Poisson floor).
    public var baseline = BaselineParameters()
    /// Values with index below this are not alerts (the model still learns them); default 150.
    public var warmUp = 150
    /// The z half of the score is `1 − exp(−|z| / squashScale)`; default 10.
    public var squashScale = 10.0
    /// Bins of the novelty half (`TransitionNovelty`, 2–30); default 4.
    public var levels = 4
    /// A score of at least this is an alert: it opens a signal in vigild and rests the scorer;
    /// default 0.6.
    public var openThreshold = 0.6
    /// An open signal resolves once a score falls below this (vigild only); default 0.3.
    public var closeThreshold = 0.3
    /// An alert silences the next `restPeriod - 1` values (one alert per episode); 0 turns the rest
    /// off; default 50.
    public var restPeriod = 50

    /// The defaults.
    public init() {}

    /// The z half of the score for `z`.
    @inline(__always)
    func squash(_ z: Double) -> Double { 1 - exp(-abs(z) / squashScale) }

    /// The smallest `|z|` at which a new extreme (novelty 0.75) reaches `openThreshold`: the
    /// half-width, in scales, of the band a signal's explanation shows.
    var openingZ: Double {
        let half = 2 * openThreshold - 0.75
        guard half > 0 else { return 0 }
        guard half < 1 else { return .infinity }
        return -squashScale * log(1 - half)
    }

    /// Half the width of the band of values that would not have opened even as a new extreme,
    /// around `score`'s expectation.
    func bandHalfWidth(_ score: SeriesScore) -> Double {
        openingZ * (score.reading?.scale ?? 0)
    }

    /// Reads the scorer's keys of a detector's table, where each value is one bucket of `bucket`
    /// ns: `baseline`, `alpha`, `history`, `seasonality`, `levels`, `squash`, `open_threshold`,
    /// `close_threshold`, `warm_up` and `rest` (durations, turned into buckets).
    init(table: ConfigTable, bucket: Int64, defaults: SeriesScorerParameters) throws(ConfigError) {
        self = defaults
        baseline.method = try table.choice("baseline", ["ewma": .ewma, "median_mad": .medianMAD]) ?? baseline.method
        baseline.alpha = try table.double("alpha", in: 0.000_001...1) ?? baseline.alpha
        if let history = try table.duration("history", atLeast: 1) {
            baseline.historyLength = Self.historyLength(history, bucket)
        }
        baseline.seasonalPeriod = try table.choice("seasonality", ["none": 0, "daily": 86_400_000_000_000]) ?? baseline.seasonalPeriod
        levels = try table.int("levels", in: 2...30) ?? levels
        squashScale = try table.double("squash", in: 0.01...1000) ?? squashScale
        openThreshold = try table.double("open_threshold", in: 0.01...1) ?? openThreshold
        closeThreshold = try table.double("close_threshold", in: 0...1) ?? closeThreshold
        guard closeThreshold <= openThreshold else {
            throw table.invalid("close_threshold", "must not exceed open_threshold (\(openThreshold))")
        }
        if let warmUp = try table.duration("warm_up") { self.warmUp = Self.buckets(warmUp, bucket) }
        if let rest = try table.duration("rest") { restPeriod = Self.buckets(rest, bucket) }
    }

    /// Whole buckets in `duration`, rounded up.
    static func buckets(_ duration: Int64, _ bucket: Int64) -> Int {
        Int(clamping: (duration + bucket - 1) / bucket)
    }

    /// The `median_mad` history of `duration` in buckets of `bucket` ns: 5 to 100,000.
    static func historyLength(_ duration: Int64, _ bucket: Int64) -> Int {
        Int(max(5, min(100_000, duration / bucket)))
    }

    /// These parameters, whose warm-up, rest and history are counted in buckets of `standard` ns,
    /// counted in buckets of `bucket` ns instead (the same durations): a detector's defaults when
    /// its bucket width is configured.
    func rescaled(from standard: Int64, to bucket: Int64) -> SeriesScorerParameters {
        var rescaled = self
        rescaled.warmUp = Self.buckets(Int64(warmUp) * standard, bucket)
        rescaled.restPeriod = Self.buckets(Int64(restPeriod) * standard, bucket)
        rescaled.baseline.historyLength = Self.historyLength(Int64(baseline.historyLength) * standard, bucket)
        return rescaled
    }

    /// The settings a signal's explanation lists, with `bucket` ns per value.
    func explanationParameters(bucket: Int64) -> [GroupValue] {
        [
            GroupValue(name: "bucket", value: DurationParser.format(bucket)),
            GroupValue(name: "baseline", value: baseline.method.rawValue),
            GroupValue(name: "alpha", value: String(baseline.alpha)),
            GroupValue(name: "levels", value: String(levels)),
            GroupValue(name: "squash", value: String(squashScale)),
            GroupValue(name: "open_threshold", value: String(openThreshold)),
            GroupValue(name: "close_threshold", value: String(closeThreshold)),
        ]
    }
}
