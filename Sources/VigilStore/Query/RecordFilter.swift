import VigilCore
import VigilRegex

/// What a query selects. Every condition must hold; an empty filter selects everything.
public struct RecordFilter: Sendable {
    /// Event time at or after, nanoseconds.
    public var since: Int64?
    /// Event time at or before, nanoseconds.
    public var until: Int64?
    /// Severity at or above (numerically at or below).
    public var minimumSeverity: Severity?
    /// Any of these services (exact, or shell globs with `*`, `?`, `[…]`).
    public var services: [String] = []
    /// Any of these hosts (exact or glob).
    public var hosts: [String] = []
    /// Every `key = value` must hold (keys are field names; `host`, `service` also work).
    public var fieldEquals: [(key: String, value: String)] = []
    /// A regular expression the message must match.
    public var messagePattern: PCRE2Regex?

    public init() {}

    /// Whether a whole block can be skipped from its header alone.
    func excludes(minTime: Int64, maxTime: Int64, severityMask: UInt8) -> Bool {
        if let since, maxTime < since { return true }
        if let until, minTime > until { return true }
        if let minimumSeverity {
            let wanted = UInt8(truncatingIfNeeded: (1 << (Int(minimumSeverity.rawValue) + 1)) - 1)
            if severityMask & wanted == 0 { return true }
        }
        return false
    }

    /// Whether every record of a block matches, judging from its header alone (so a count needs no decoding).
    func includesAll(minTime: Int64, maxTime: Int64, severityMask: UInt8) -> Bool {
        guard services.isEmpty, hosts.isEmpty, fieldEquals.isEmpty, messagePattern == nil else { return false }
        if let since, minTime < since { return false }
        if let until, maxTime > until { return false }
        if let minimumSeverity {
            let wanted = UInt8(truncatingIfNeeded: (1 << (Int(minimumSeverity.rawValue) + 1)) - 1)
            if severityMask & ~wanted != 0 { return false }
        }
        return true
    }

    /// The same test, record by record, on a decoded `LogRecord` (tests compare the store against it).
    public func matches(_ record: LogRecord) -> Bool {
        if let since, record.time < since { return false }
        if let until, record.time > until { return false }
        if let minimumSeverity, !record.severity.isAtLeast(minimumSeverity) { return false }
        if !services.isEmpty, !services.contains(where: { GlobPattern.matches($0, record.service) }) { return false }
        if !hosts.isEmpty, !hosts.contains(where: { GlobPattern.matches($0, record.host) }) { return false }
        for (key, value) in fieldEquals {
            switch key {
            case "host": if record.host != value { return false }
            case "service": if record.service != value { return false }
            default: if record.fields[key] != value { return false }
            }
        }
        if let messagePattern, !messagePattern.matches(record.message) { return false }
        return true
    }
}
