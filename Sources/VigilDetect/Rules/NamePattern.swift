import VigilCore

/// A service or host filter: an exact name, or a shell glob (`web-*`, `db-?`, `[ab]pp`) matched
/// with `fnmatch`.
public struct NamePattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as configured.
    public let pattern: String
    /// Whether the pattern has glob characters (`*`, `?`, `[`); otherwise it is compared exactly.
    public let isGlob: Bool

    /// A pattern; glob characters make it a glob.
    public init(_ pattern: String) {
        self.pattern = pattern
        isGlob = GlobPattern.isGlob(pattern)
    }

    /// Whether `name` matches.
    @inline(__always)
    public func matches(_ name: String) -> Bool {
        isGlob ? GlobPattern.matches(pattern, name) : pattern == name
    }

    /// The pattern.
    public var description: String { pattern }
}
