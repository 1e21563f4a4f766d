import VigilCore

/// `[detectors.error_ratio]`: per stream and bucket, the share of records at or above
/// `error_severity`, against the stream's learnt share; fires when it rises.
///
///     [detectors.error_ratio]
///     enabled = true
///     group_by = ["service"]
///     bucket = "60s"
///     error_severity = "err"     # what counts as an error: this or worse
///     alpha = 0.05               # EWMA weight per bucket
///     open_threshold = 4.0       # score to open (deviation in max(baseline, binomial) spreads)
///     close_threshold = 2.0
///     min_records = 20           # buckets with fewer records are ignored
///     min_errors = 5             # and a bucket needs this many errors to fire
///     min_increase = 0.05        # and the share must be this much above the baseline (absolute)
///     warm_up = "15m"
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
    /// The baseline algorithm (ratios: identity transform, no fixed floor; the binomial spread of
    /// the bucket is the floor).
    public var baseline: BaselineParameters = {
        var parameters = BaselineParameters()
        parameters.transform = .identity
        parameters.minimumScale = 0.01
        return parameters
    }()
    /// Score that opens; default 4.
    public var openThreshold = 4.0
    /// Score under which it resolves; default 2.
    public var closeThreshold = 2.0
    /// Buckets with fewer records are not scored or learnt; default 20.
    public var minimumRecords = 20
    /// A bucket needs at least this many errors to fire; default 5.
    public var minimumErrors = 5
    /// The share must exceed the baseline by at least this much to fire; default 0.05.
    public var minimumIncrease = 0.05
    /// How long after its first record a stream only learns; default 15 min.
    public var warmUp: Int64 = 900_000_000_000
    /// The incident severity; default `warning`.
    public var severity: Severity = .warning

    /// The defaults.
    public init() {}

    /// Reads `[detectors.error_ratio]`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        groupBy = try table.groupBy("group_by") ?? groupBy
        bucket = try table.duration("bucket", atLeast: 1_000_000) ?? bucket
        errorSeverity = try table.severity("error_severity") ?? errorSeverity
        baseline.alpha = try table.double("alpha", in: 0.000_001...1) ?? baseline.alpha
        openThreshold = try table.double("open_threshold", in: 0.1...1000) ?? openThreshold
        closeThreshold = try table.double("close_threshold", in: 0...1000) ?? closeThreshold
        guard closeThreshold <= openThreshold else {
            throw table.invalid("close_threshold", "must not exceed open_threshold (\(openThreshold))")
        }
        minimumRecords = try table.int("min_records", in: 1...Int(Int32.max)) ?? minimumRecords
        minimumErrors = try table.int("min_errors", in: 0...Int(Int32.max)) ?? minimumErrors
        minimumIncrease = try table.double("min_increase", in: 0...1) ?? minimumIncrease
        warmUp = try table.duration("warm_up") ?? warmUp
        severity = try table.severity("severity") ?? severity
    }
}

extension ErrorRatioDetectorConfiguration {
    /// The settings a signal's explanation lists.
    var explanationParameters: [GroupValue] {
        [
            GroupValue(name: "bucket", value: DurationParser.format(bucket)),
            GroupValue(name: "error_severity", value: errorSeverity.name),
            GroupValue(name: "alpha", value: String(baseline.alpha)),
            GroupValue(name: "open_threshold", value: String(openThreshold)),
            GroupValue(name: "close_threshold", value: String(closeThreshold)),
            GroupValue(name: "min_records", value: String(minimumRecords)),
            GroupValue(name: "min_errors", value: String(minimumErrors)),
            GroupValue(name: "min_increase", value: String(minimumIncrease)),
        ]
    }
}
