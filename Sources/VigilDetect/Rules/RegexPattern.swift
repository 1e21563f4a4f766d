import VigilRegex

/// A compiled PCRE2 regular expression (JIT) for message and field filters and extra template masks.
///
/// Matching is case-sensitive and unanchored (a match anywhere in the text); write `(?i)` for
/// case-insensitive and `^…$` to anchor. Two patterns are equal when their text is.
public struct RegexPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as configured.
    public let pattern: String
    private let regex: PCRE2Regex

    /// Compiles `pattern`, throwing PCRE2's reason and offset when it is invalid.
    public init(_ pattern: String) throws(PCRE2Regex.CompileError) {
        self.pattern = pattern
        regex = try PCRE2Regex(pattern, caseInsensitive: false)
    }

    /// Whether the pattern matches somewhere in `text`.
    @inline(__always)
    public func matches(_ text: String) -> Bool { regex.matches(text) }

    /// The pattern.
    public var description: String { pattern }

    public static func == (lhs: RegexPattern, rhs: RegexPattern) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}
