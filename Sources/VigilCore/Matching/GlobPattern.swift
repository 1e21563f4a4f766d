#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style glob matching (`fnmatch`) for service and host filters: `web-*`, `db-?`, `[ab]pp`.
/// A pattern without glob characters is compared exactly.
public enum GlobPattern {
    /// Whether `pattern` has any of `*`, `?`, `[`.
    public static func isGlob(_ pattern: String) -> Bool { pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    /// Whether `value` matches `pattern`.
    public static func matches(_ pattern: String, _ value: String) -> Bool {
        isGlob(pattern) ? fnmatch(pattern, value, 0) == 0 : pattern == value
    }
}
