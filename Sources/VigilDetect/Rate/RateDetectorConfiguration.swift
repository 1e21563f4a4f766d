import VigilCore

/// `[detectors.rate]`: per stream, the record count per bucket against a learnt baseline; fires on
/// spikes and on drops (including a stream going silent), with hysteresis.
///
///     [detectors.rate]
///     enabled = true
///     group_by = ["service"]
///     bucket = "10s"
///     baseline = "ewma"          # or "median_mad"
///     alpha = 0.05               # EWMA weight per bucket
///     history = "30m"            # median_mad window
///     seasonality = "none"       # or "daily" (24 hourly offsets; use a small alpha)
///     open_threshold = 5.0       # |score| to open (score: deviation of √count in baseline scales)
///     close_threshold = 2.5      # |score| below which it resolves
///     min_count = 10             # spikes need ≥ this many records, drops an expectation of ≥ this
///     warm_up = "10m"            # a stream is silent (no signals) this long after it first appears
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
    /// The baseline algorithm (counts: square-root transform).
    public var baseline = BaselineParameters()
    /// Score (in baseline scales) that opens a spike or drop; default 5.
    public var openThreshold = 5.0
    /// Score under which an open spike or drop resolves; default 2.5.
    public var closeThreshold = 2.5
    /// Minimum-count floor: a spike needs at least this many records in the bucket, a drop an
    /// expectation of at least this many; default 10.
    public var minimumCount = 10
    /// How long after its first record a stream only learns; default 10 min.
    public var warmUp: Int64 = 600_000_000_000
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

    /// The defaults.
    public init() {}

    /// Reads `[detectors.rate]`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        groupBy = try table.groupBy("group_by") ?? groupBy
        bucket = try table.duration("bucket", atLeast: 1_000_000) ?? bucket
        baseline.method = try table.choice("baseline", ["ewma": .ewma, "median_mad": .medianMAD]) ?? baseline.method
        baseline.alpha = try table.double("alpha", in: 0.000_001...1) ?? baseline.alpha
        let history = try table.duration("history", atLeast: 1) ?? Int64(baseline.historyLength) * 10_000_000_000
        baseline.historyLength = Int(max(5, min(100_000, history / bucket)))
        baseline.seasonalPeriod = try table.choice("seasonality", ["none": 0, "daily": 86_400_000_000_000]) ?? 0
        openThreshold = try table.double("open_threshold", in: 0.1...1000) ?? openThreshold
        closeThreshold = try table.double("close_threshold", in: 0...1000) ?? closeThreshold
        guard closeThreshold <= openThreshold else {
            throw table.invalid("close_threshold", "must not exceed open_threshold (\(openThreshold))")
        }
        minimumCount = try table.int("min_count", in: 0...Int(Int32.max)) ?? minimumCount
        warmUp = try table.duration("warm_up") ?? warmUp
        spikes = try table.bool("spikes") ?? spikes
        drops = try table.bool("drops") ?? drops
        silence = try table.duration("silence") ?? silence
        severity = try table.severity("severity") ?? severity
    }
}

extension RateDetectorConfiguration {
    /// The settings a signal's explanation lists.
    var explanationParameters: [GroupValue] {
        [
            GroupValue(name: "bucket", value: DurationParser.format(bucket)),
            GroupValue(name: "baseline", value: baseline.method.rawValue),
            GroupValue(name: "alpha", value: String(baseline.alpha)),
            GroupValue(name: "open_threshold", value: String(openThreshold)),
            GroupValue(name: "close_threshold", value: String(closeThreshold)),
            GroupValue(name: "min_count", value: String(minimumCount)),
            GroupValue(name: "silence", value: DurationParser.format(silence)),
        ]
    }
}
