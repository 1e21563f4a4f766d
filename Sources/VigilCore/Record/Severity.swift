/// A syslog severity (RFC 5424 §6.2.1): 0 is the most severe (`emerg`), 7 the least (`debug`).
///
/// "At or above" a severity means numerically at or below it: `err` or worse is `emerg`, `alert`,
/// `crit` and `err`.
public enum Severity: UInt8, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case emerg = 0
    case alert = 1
    case crit = 2
    case err = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    /// The short name journalctl and syslog use (`emerg` … `debug`).
    public var name: String {
        switch self {
        case .emerg: "emerg"
        case .alert: "alert"
        case .crit: "crit"
        case .err: "err"
        case .warning: "warning"
        case .notice: "notice"
        case .info: "info"
        case .debug: "debug"
        }
    }

    public var description: String { name }

    /// Orders by urgency: `emerg < alert < … < debug`, so `min()` is the most severe.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether `self` is as severe as `threshold` or more (`err.isAtLeast(.warning)` is true).
    @inlinable
    public func isAtLeast(_ threshold: Severity) -> Bool { rawValue <= threshold.rawValue }

    /// Parses a level as people and libraries write it: syslog names and their common aliases
    /// (`error`, `warn`, `fatal`, `critical`, `emergency`, `panic`, `trace`, `information`…),
    /// case-insensitively, or a number 0–7.
    public init?(parsing text: some StringProtocol) {
        let lowered = text.lowercased()
        switch lowered {
        case "emerg", "emergency", "panic", "0": self = .emerg
        case "alert", "1": self = .alert
        case "crit", "critical", "fatal", "2": self = .crit
        case "err", "error", "3": self = .err
        case "warning", "warn", "4": self = .warning
        case "notice", "5": self = .notice
        case "info", "informational", "information", "6": self = .info
        case "debug", "trace", "verbose", "7": self = .debug
        default: return nil
        }
    }
}
