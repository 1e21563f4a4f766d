/// A syslog facility code (RFC 5424 §6.2.1), 0 (`kern`) to 23 (`local7`).
public struct Facility: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    /// Creates a facility from its code; `nil` above 23.
    public init?(rawValue: UInt8) {
        guard rawValue <= 23 else { return nil }
        self.rawValue = rawValue
    }

    private static let names = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
        "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5",
        "local6", "local7",
    ]

    /// The conventional name (`kern`, `user`, … `local7`).
    public var name: String { Self.names[Int(rawValue)] }
    public var description: String { name }

    /// Parses a facility name or number.
    public init?(parsing text: String) {
        if let number = UInt8(text) {
            self.init(rawValue: number)
            return
        }
        guard let index = Self.names.firstIndex(of: text.lowercased()) else { return nil }
        self.init(rawValue: UInt8(index))
    }

    public static let kern = Facility(rawValue: 0)!
    public static let user = Facility(rawValue: 1)!
    public static let daemon = Facility(rawValue: 3)!
}
