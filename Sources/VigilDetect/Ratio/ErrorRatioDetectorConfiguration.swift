import VigilCore

/// `[detectors.error_ratio]`: per stream and bucket, the share of records at or above
/// `error_severity`, scored by `SeriesAnomalyScorer` (the rate detector's scorer, with the same
/// defaults); fires when it rises.
///
///     [detectors.error_ratio]
///     enabled = true
///     group_by = ["service"]
///     bucket = "60s"
///     error_severity = "err"     # what counts as an error: this or worse
///     alpha = 0.002              # the scorer's keys, as in [detectors.rate]
///     open_threshold = 0.6
///     close_threshold = 0.3
///     warm_up = "15m"
///     rest = "500s"
///     min_records = 20           # buckets with fewer records are ignored
///     min_errors = 5             # and a bucket needs this many errors to fire
///     min_increase = 0.05        # and the share must be this much above the baseline (absolute)
///     severity = "warning"
public struct ErrorRatioDetectorConfiguration: Sendable, Hashable, ConfigDecodable {
    /// Whether the detector runs; default true.
    public var enabled = true
    /// The stream key; default `["service"]`.
    public var groupBy = GroupBy.service
    /// Bucket width, ns; default 60 s.
    public var bucket: Int64 = 60_000_000_000
    /// Records at or above this severity are errors; default `err`.
    public var errorSeverity: Severity = .err
    /// The score of each bucket's share (warm-up and rest in buckets): `SeriesScorerParameters()`
    /// with a warm-up of 15 min and a rest of 500 s of 1-minute buckets. The scale of a share is at
    /// least its binomial spread.
    public var scorer = ErrorRatioDetectorConfiguration.defaultScorer
    /// Buckets with fewer records are not scored or learnt; default 20.
    public var minimumRecords = 20
    /// A bucket needs at least this many errors to fire; default 5.
    public var minimumErrors = 5
    /// The share must exceed the baseline by at least this much to fire; default 0.05.
    public var minimumIncrease = 0.05
    /// The incident severity; default `warning`.
    public var severity: Severity = .warning

    /// The scorer's defaults for shares of 1-minute buckets.
    public static let defaultScorer: SeriesScorerParameters = {
        var scorer = SeriesScorerParameters()
        scorer.warmUp = 15
        scorer.restPeriod = 9
        return scorer
    }()

    /// The defaults.
    public init() {}

    /// Reads `[detectors.error_ratio]`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        groupBy = try table.groupBy("group_by") ?? groupBy
        bucket = try table.duration("bucket", atLeast: 1_000_000) ?? bucket
        errorSeverity = try table.severity("error_severity") ?? errorSeverity
        // Warm-up, rest and history are in buckets of the default width unless set: rescale them.
        let defaults = Self.defaultScorer.rescaled(from: ErrorRatioDetectorConfiguration().bucket, to: bucket)
        scorer = try SeriesScorerParameters(table: table, bucket: bucket, defaults: defaults)
        minimumRecords = try table.int("min_records", in: 1...Int(Int32.max)) ?? minimumRecords
        minimumErrors = try table.int("min_errors", in: 0...Int(Int32.max)) ?? minimumErrors
        minimumIncrease = try table.double("min_increase", in: 0...1) ?? minimumIncrease
        severity = try table.severity("severity") ?? severity
    }
}

extension ErrorRatioDetectorConfiguration {
    /// The settings a signal's explanation lists.
    var explanationParameters: [GroupValue] {
        scorer.explanationParameters(bucket: bucket) + [
            GroupValue(name: "error_severity", value: errorSeverity.name),
            GroupValue(name: "min_records", value: String(minimumRecords)),
            GroupValue(name: "min_errors", value: String(minimumErrors)),
            GroupValue(name: "min_increase", value: String(minimumIncrease)),
        ]
    }
}
