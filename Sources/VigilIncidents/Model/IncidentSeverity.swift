import VigilCore

/// How urgent an incident is: PagerDuty's four severities, most severe first.
///
/// Syslog severities map onto them as PagerDuty and Alertmanager users expect: `emerg`, `alert`
/// and `crit` are critical, `err` is error, `warning` is warning, and the rest are info.
public enum IncidentSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case critical
    case error
    case warning
    case info

    /// The severity an incident gets from a detector configured with a syslog severity.
    public init(_ severity: Severity) {
        switch severity {
        case .emerg, .alert, .crit: self = .critical
        case .err: self = .error
        case .warning: self = .warning
        case .notice, .info, .debug: self = .info
        }
    }

    /// Parses `critical`, `error`, `warning` or `info` (PagerDuty's words), or a syslog severity
    /// name (`crit`, `err`, `warn`…), case-insensitively.
    public init?(parsing text: some StringProtocol) {
        let lowered = text.lowercased()
        if let exact = IncidentSeverity(rawValue: lowered) {
            self = exact
        } else if let syslog = Severity(parsing: lowered) {
            self.init(syslog)
        } else {
            return nil
        }
    }

    /// 0 for critical up to 3 for info: the order SQL sorts and filters by.
    public var rank: Int {
        switch self {
        case .critical: 0
        case .error: 1
        case .warning: 2
        case .info: 3
        }
    }

    /// Orders by urgency: critical < error < warning < info, so `min()` is the most severe.
    public static func < (lhs: IncidentSeverity, rhs: IncidentSeverity) -> Bool { lhs.rank < rhs.rank }

    /// Whether `self` is `other` or more severe.
    public func isAtLeast(_ other: IncidentSeverity) -> Bool { rank <= other.rank }

    public var description: String { rawValue }
}
