import VigilCore

/// One `[[rules]]` entry. A `count` rule (the default kind) fires when more than `threshold`
/// matching records fall within a sliding `window` of event time, per group key; an `absent` rule
/// fires when a group key that was seen (or is expected) matches no record for `for`.
///
///     [[rules]]
///     name = "errors"                 # required; a later rule with the same name replaces it
///     kind = "count"                  # or "absent"
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
///
/// **Absent rules** (`kind = "absent"`): `match` and `group_by` as above, `for` (default 5 min) the
/// silence that opens a signal, and `expect`, values of the one `group_by` name that must be seen
/// from start-up (a stream that never shows up fires `for` after the detectors start). The first
/// matching record of the group resolves it. `window` and `threshold` do not apply. Title
/// placeholders: `{rule}`, `{for}`, `{key}`, `{last_seen}` (UTC, or "never") and each `group_by` name.
public struct RuleConfiguration: Sendable, Hashable, ConfigDecodable {
    /// What a rule looks for.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// More than `threshold` matching records within `window`.
        case count
        /// No matching record for `for` from a group key that was seen or is expected.
        case absent
    }

    /// The rule's name: the signal name, part of the fingerprint.
    public var name: String
    /// What the rule looks for; default `count`.
    public var kind = Kind.count
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
    /// How long (ns) the condition must hold before firing (`for`); default 0 (5 min for `absent`:
    /// the silence that opens a signal).
    public var holdFor: Int64 = 0
    /// `absent` only: values of the single `group_by` name expected from start-up.
    public var expect: [String] = []
    /// The incident severity; default `err`.
    public var severity: Severity = .err
    /// The title template.
    public var title: TitleTemplate

    /// The title used when none is configured.
    public static let defaultTitle = "{rule}: {count} records in {window} ({key})"

    /// Names every title may use besides the group-by names.
    static let builtInPlaceholders: Set<String> = ["rule", "count", "window", "threshold", "key"]

    /// The title of `absent` rules when none is configured.
    public static let defaultAbsentTitle = "{rule}: no records from {key} for {for}"

    /// Names the titles of `absent` rules may use besides the group-by names.
    static let absentPlaceholders: Set<String> = ["rule", "for", "key", "last_seen"]

    /// The silence of an `absent` rule when `for` is not set: 5 min.
    public static let defaultAbsentFor: Int64 = 300_000_000_000
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
        kind = try table.choice("kind", ["count": Kind.count, "absent": .absent]) ?? kind
        enabled = try table.bool("enabled") ?? enabled
        match = try table.decode(RuleMatch.self, "match") ?? match
        groupBy = try table.groupBy("group_by") ?? groupBy
        severity = try table.severity("severity") ?? severity
        switch kind {
        case .count:
            window = try table.duration("window", atLeast: 1) ?? window
            threshold = try table.int("threshold", in: 0...1_000_000) ?? threshold
            holdFor = try table.duration("for") ?? holdFor
            if table.contains("expect") { throw table.invalid("expect", "only rules of kind = \"absent\" take expect") }
            let names = Self.builtInPlaceholders.union(groupBy.names)
            title = try table.title("title", names: names) ?? (try! TitleTemplate(Self.defaultTitle, names: names))
        case .absent:
            for key in ["window", "threshold"] where table.contains(key) {
                throw table.invalid(key, "rules of kind = \"absent\" have no \(key); for sets how long a silence opens a signal")
            }
            holdFor = try table.duration("for", atLeast: 1_000_000_000) ?? Self.defaultAbsentFor
            expect = try table.stringArray("expect") ?? []
            if !expect.isEmpty, groupBy.names.count != 1 {
                throw table.invalid("expect", "expect lists values of one group_by name; this rule groups by \(groupBy.names.count)")
            }
            let names = Self.absentPlaceholders.union(groupBy.names)
            title = try table.title("title", names: names) ?? (try! TitleTemplate(Self.defaultAbsentTitle, names: names))
        }
    }
}
