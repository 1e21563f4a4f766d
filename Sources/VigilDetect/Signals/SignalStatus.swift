/// Whether a signal opens (or re-reports) a condition or says that it ended.
public enum SignalStatus: String, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The condition started.
    case firing
    /// The condition ended: a rule's window drained, or a detector's score fell below its close
    /// threshold (hysteresis). New-template signals never resolve.
    case resolved

    /// `firing` or `resolved`.
    public var description: String { rawValue }
}
