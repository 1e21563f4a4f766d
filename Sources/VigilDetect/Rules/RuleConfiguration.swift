import VigilCore

/// One `[[rules]]` entry: fire when more than `threshold` matching records fall within a sliding
/// `window` of event time, per group key.
///
///     [[rules]]
///     name = "errors"                 # required; a later rule with the same name replaces it
///     enabled = true
///     group_by = ["service"]          # service, host, severity, or any field name
///     window = "60s"
///     threshold = 5                   # fires when the count is greater
///     for = "0s"                      # the condition must hold this long before firing
///     severity = "err"                # the incident's severity
///     title = "{service}: {count} errors in {window}"
///     [rules.match]
///     severity = "err"
///
/// **The window is closed**: a record at event time `t` counts every matching record of its group
/// with a time in `[t - window, t]`, so six records spanning exactly 60 s are "6 in 60 s", and six
/// spanning 60.001 s are not. While firing, the group resolves once the condition has been false
/// for a whole window (the window has drained below the threshold).
///
/// Title placeholders: `{rule}`, `{count}`, `{window}`, `{threshold}`, `{key}` (the group values,
/// comma-separated) and each `group_by` name.
public struct RuleConfiguration: Sendable, Hashable, ConfigDecodable {
    /// The rule's name: the signal name, part of the fingerprint.
    public var name: String
    /// A disabled rule is read and checked but does not run (useful to switch off a shipped rule by
    /// redefining it with the same name).
    public var enabled = true
    /// Which records count.
    public var match = RuleMatch()
    /// How records are grouped; default `["service"]`.
    public var groupBy = GroupBy.service
    /// The sliding window, ns; default 60 s.
    public var window: Int64 = 60_000_000_000
    /// Fires when a window holds more than this many records; default 5.
    public var threshold = 5
    /// How long (ns) the condition must hold before firing (`for`); default 0.
    public var holdFor: Int64 = 0
    /// The incident severity; default `err`.
    public var severity: Severity = .err
    /// The title template.
    public var title: TitleTemplate

    /// The title used when none is configured.
    public static let defaultTitle = "{rule}: {count} records in {window} ({key})"

    /// Names every title may use besides the group-by names.
    static let builtInPlaceholders: Set<String> = ["rule", "count", "window", "threshold", "key"]

    /// A rule with the given name and defaults for the rest.
    public init(name: String) {
        self.name = name
        // The default title only uses built-in placeholders.
        title = try! TitleTemplate(Self.defaultTitle, names: Self.builtInPlaceholders)
    }

    /// The rule applied when the configuration has no `[[rules]]`: more than 5 records of severity
    /// `err` or worse within 60 s, per service.
    public static var defaultRule: RuleConfiguration {
        var rule = RuleConfiguration(name: "errors")
        rule.match.severity = .err
        rule.title = try! TitleTemplate("{service}: {count} errors in {window}", names: ["service", "count", "window"])
        return rule
    }

    /// Reads one `[[rules]]` table.
    public init(table: ConfigTable) throws(ConfigError) {
        let name = try table.required("name", table.string("name"))
        guard !name.isEmpty else { throw table.invalid("name", "expected a non-empty rule name") }
        self.init(name: name)
        enabled = try table.bool("enabled") ?? enabled
        match = try table.decode(RuleMatch.self, "match") ?? match
        groupBy = try table.groupBy("group_by") ?? groupBy
        window = try table.duration("window", atLeast: 1) ?? window
        threshold = try table.int("threshold", in: 0...1_000_000) ?? threshold
        holdFor = try table.duration("for") ?? holdFor
        severity = try table.severity("severity") ?? severity
        let names = Self.builtInPlaceholders.union(groupBy.names)
        title = try table.title("title", names: names) ?? (try! TitleTemplate(Self.defaultTitle, names: names))
    }
}
