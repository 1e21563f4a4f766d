import VigilCore

/// `[detectors.rate]`: per stream, the record count per bucket scored by `SeriesAnomalyScorer`
/// (the scorer `vigil detect-series` runs); fires on spikes and on drops (including a stream going
/// silent), with hysteresis.
///
///     [detectors.rate]
///     enabled = true
///     group_by = ["service"]
///     bucket = "10s"
///     baseline = "ewma"          # or "median_mad"
///     alpha = 0.002              # EWMA weight per bucket
///     history = "30m"            # median_mad window
///     seasonality = "none"       # or "daily" (24 hourly offsets)
///     levels = 4                 # novelty: bins over the range of counts seen
///     squash = 10.0              # z half of the score: 1 − exp(−|z| / squash)
///     open_threshold = 0.6      # a score (0–1) at least this opens a signal
///     close_threshold = 0.3      # a score below this resolves it
///     warm_up = "25m"            # a stream only learns this long after it first appears
///     rest = "500s"             # after an alert, no new one this long
///     min_count = 10             # spikes need ≥ this many records, drops an expectation of ≥ this
///     spikes = true
///     drops = true
///     silence = "60s"            # no records this long while ≥ min_count were expected: a drop
///     severity = "warning"
public struct RateDetectorConfiguration: Sendable, Hashable, ConfigDecodable {
    /// Whether the detector runs; default true.
    public var enabled = true
    /// The stream key; default `["service"]`.
    public var groupBy = GroupBy.service
    /// Bucket width, ns; default 10 s.
    public var bucket: Int64 = 10_000_000_000
    /// The score of each bucket's count (warm-up and rest in buckets); the defaults of
    /// `SeriesScorerParameters`, with the Poisson floor for counts.
    public var scorer = RateDetectorConfiguration.defaultScorer
    /// Minimum-count floor: a spike needs at least this many records in the bucket, a drop an
    /// expectation of at least this many; default 10.
    public var minimumCount = 10
    /// Whether spikes fire; default true.
    public var spikes = true
    /// Whether drops (and silence) fire; default true.
    public var drops = true
    /// A stream expected to have at least `minimumCount` records per bucket that has none for this
    /// long is reported as a drop even if the score is not past the threshold; 0 disables; default
    /// 60 s.
    public var silence: Int64 = 60_000_000_000
    /// The incident severity; default `warning`.
    public var severity: Severity = .warning

    /// The scorer's defaults for counts: `SeriesScorerParameters()` with the Poisson floor.
    public static let defaultScorer: SeriesScorerParameters = {
        var scorer = SeriesScorerParameters()
        scorer.baseline.poissonFloor = true
        return scorer
    }()

    /// The defaults.
    public init() {}

    /// Reads `[detectors.rate]`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        groupBy = try table.groupBy("group_by") ?? groupBy
        bucket = try table.duration("bucket", atLeast: 1_000_000) ?? bucket
        // Warm-up, rest and history are in buckets of the default width unless set: rescale them.
        let defaults = Self.defaultScorer.rescaled(from: RateDetectorConfiguration().bucket, to: bucket)
        scorer = try SeriesScorerParameters(table: table, bucket: bucket, defaults: defaults)
        minimumCount = try table.int("min_count", in: 0...Int(Int32.max)) ?? minimumCount
        spikes = try table.bool("spikes") ?? spikes
        drops = try table.bool("drops") ?? drops
        silence = try table.duration("silence") ?? silence
        severity = try table.severity("severity") ?? severity
    }
}

extension RateDetectorConfiguration {
    /// The settings a signal's explanation lists.
    var explanationParameters: [GroupValue] {
        scorer.explanationParameters(bucket: bucket) + [
            GroupValue(name: "min_count", value: String(minimumCount)),
            GroupValue(name: "silence", value: DurationParser.format(silence)),
        ]
    }
}
