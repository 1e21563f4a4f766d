import VigilCore

/// Everything `VigilDetect` reads from the configuration: the root's `[[rules]]` and `[detectors]`.
///
///     [detectors]
///     lateness = "30s"        # records up to this much older than the newest are reordered
///     evidence = 5            # records attached to a signal
///     max_streams = 10000     # per rule and per detector; the least recently active are evicted
///     max_buffered = 8192     # records held for reordering; past it the watermark is forced on
///     max_ahead = "10m"       # records stamped further ahead of the host's clock are not evaluated
///     wall_clock = true       # the host's clock moves event time on when no records arrive
///     [detectors.rate]        # see RateDetectorConfiguration
///     [detectors.error_ratio] # see ErrorRatioDetectorConfiguration
///     [detectors.new_template] # see NewTemplateDetectorConfiguration
///
///     [[rules]]               # see RuleConfiguration
///
/// **Default rule**: when the configuration has no `[[rules]]` at all, `RuleConfiguration.defaultRule`
/// applies (more than 5 records of severity `err` or worse in 60 s, per service, named `errors`).
/// Rules are concatenated across `conf.d` files; a later rule with the same `name` replaces the
/// earlier one in place, so a drop-in can retune or disable (`enabled = false`) a shipped rule.
public struct DetectionConfiguration: Sendable, Hashable, ConfigDecodable {
    /// The rules, in order (disabled ones included; the engine skips them).
    public var rules: [RuleConfiguration] = [RuleConfiguration.defaultRule]
    /// `[detectors.rate]`.
    public var rate = RateDetectorConfiguration()
    /// `[detectors.error_ratio]`.
    public var errorRatio = ErrorRatioDetectorConfiguration()
    /// `[detectors.new_template]`.
    public var newTemplate = NewTemplateDetectorConfiguration()
    /// Allowed lateness, ns: the watermark trails the newest event time by this; default 30 s.
    public var lateness: Int64 = 30_000_000_000
    /// Evidence records per signal; default 5.
    public var evidence = 5
    /// Streams (group keys) kept per rule and per detector; default 10 000.
    public var maxStreams = 10_000
    /// Records held in the reorder buffer at most; default 8 192 (about 5 MiB). Past it the
    /// watermark is pushed on, so under a heavy stream the reordering window is shorter than
    /// `lateness`: at 8 192 records that is the full 30 s up to about 270 records/s.
    public var maxBuffered = 8_192
    /// How far ahead of the host's clock a record's time may be, ns, for the daemon to evaluate it;
    /// default 10 min. One record from a sender whose clock or time zone is wrong would otherwise
    /// move event time hours on and leave every other record late. Such records are stored but
    /// not evaluated (`vigil_detect_future_records_total`). Replays have no clock and ignore it.
    public var maxAhead: Int64 = 600_000_000_000
    /// Whether the daemon moves event time on with the host's clock (every second) when no records
    /// arrive, so silence, absence and open windows are evaluated on a quiet host; default true.
    /// With false, only records move it (a vigild that is sent historical logs, where the clock
    /// would make every record late); replays have no clock either way.
    public var followsWallClock = true

    /// The defaults: the default rule and all detectors on.
    public init() {}

    /// Reads `rules` and `detectors` from the root table. Other root keys are left alone (the
    /// caller's `finish()` reports unknown ones).
    public init(table: ConfigTable) throws(ConfigError) {
        if table.contains("rules") {
            var rules: [RuleConfiguration] = []
            for rule in try table.decodeArray(RuleConfiguration.self, "rules") {
                if let existing = rules.firstIndex(where: { $0.name == rule.name }) {
                    rules[existing] = rule
                } else {
                    rules.append(rule)
                }
            }
            self.rules = rules
        }
        guard let detectors = try table.table("detectors") else { return }
        lateness = try detectors.duration("lateness") ?? lateness
        evidence = try detectors.int("evidence", in: 0...100) ?? evidence
        maxStreams = try detectors.int("max_streams", in: 1...10_000_000) ?? maxStreams
        maxBuffered = try detectors.int("max_buffered", in: 1...100_000_000) ?? maxBuffered
        maxAhead = try detectors.duration("max_ahead") ?? maxAhead
        followsWallClock = try detectors.bool("wall_clock") ?? followsWallClock
        rate = try detectors.decode(RateDetectorConfiguration.self, "rate") ?? rate
        errorRatio = try detectors.decode(ErrorRatioDetectorConfiguration.self, "error_ratio") ?? errorRatio
        newTemplate = try detectors.decode(NewTemplateDetectorConfiguration.self, "new_template") ?? newTemplate
    }

    /// Reads a whole document that holds only detection settings, reporting unknown keys (for
    /// tools and tests; the daemon reads `DetectionConfiguration(table:)` from its root).
    public init(document: ConfigurationDocument) throws(ConfigError) {
        let root = ConfigTable(document: document)
        try self.init(table: root)
        try root.finish()
    }
}
