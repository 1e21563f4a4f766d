import VigilCore

/// Which records a rule counts (`[rules.match]`). Every condition given must hold; an empty match
/// counts every record.
///
///     [rules.match]
///     severity = "err"              # at or above: err, crit, alert, emerg
///     service = "web-*"             # exact name or glob
///     host = "db-01"                # exact name or glob
///     message = "timeout|refused"   # PCRE2, unanchored, case-sensitive ((?i) for insensitive)
///     fields = { status = "500" }   # field equality (a missing field never matches)
///     fields_regex = { path = "^/api/" }
public struct RuleMatch: Sendable, Hashable, ConfigDecodable {
    /// Records at or above this severity (numerically at or below).
    public var severity: Severity?
    /// The record's service must match.
    public var service: NamePattern?
    /// The record's host must match.
    public var host: NamePattern?
    /// The record's message must match.
    public var message: RegexPattern?
    /// Fields that must equal a value, in configuration order.
    public var fields: [FieldCondition] = []

    /// A condition on one field.
    public struct FieldCondition: Sendable, Hashable {
        /// The field name (a key of `LogRecord.fields`).
        public var name: String
        /// Equality, or a regular expression.
        public var test: Test

        /// How the field's value is tested.
        public enum Test: Sendable, Hashable {
            /// The value equals this string.
            case equals(String)
            /// The regular expression matches somewhere in the value.
            case matches(RegexPattern)
        }

        /// Creates a condition.
        public init(name: String, test: Test) {
            self.name = name
            self.test = test
        }
    }

    /// A match for everything.
    public init() {}

    /// Reads `[rules.match]`: `severity`, `service`, `host`, `message`, `fields`, `fields_regex`.
    public init(table: ConfigTable) throws(ConfigError) {
        severity = try table.severity("severity")
        service = try table.string("service").map(NamePattern.init)
        host = try table.string("host").map(NamePattern.init)
        message = try table.regex("message")
        for entry in try table.stringTable("fields") {
            fields.append(FieldCondition(name: entry.key, test: .equals(entry.value)))
        }
        for entry in try table.stringTable("fields_regex") {
            guard let pattern = try entry.table.regex(entry.key) else { continue }
            fields.append(FieldCondition(name: entry.key, test: .matches(pattern)))
        }
    }

    /// Whether `record` passes every condition (cheapest first; the message regex last).
    @inline(__always)
    public func matches(_ record: LogRecord) -> Bool {
        if let severity, !record.severity.isAtLeast(severity) { return false }
        if let service, !service.matches(record.service) { return false }
        if let host, !host.matches(record.host) { return false }
        for condition in fields {
            guard let value = record.fields[condition.name] else { return false }
            switch condition.test {
            case .equals(let expected): if value != expected { return false }
            case .matches(let pattern): if !pattern.matches(value) { return false }
            }
        }
        if let message, !message.matches(record.message) { return false }
        return true
    }
}
