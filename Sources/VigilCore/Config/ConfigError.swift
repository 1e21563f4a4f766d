import Foundation

/// An error in the configuration: a TOML syntax error, a value of the wrong type or out of range, an
/// unknown or missing key, or a file that could not be read.
///
/// Its `description` reads `FILE:LINE: KEY: REASON`, with `KEY` a dotted path from the document root:
///
///     /etc/vigil/conf.d/10-store.toml:4: store.codec: expected "zstd" or "lz4", got "gzip"
///
/// The key is left out of syntax errors that happen before a key is known, and file errors read
/// `PATH: REASON`.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The file is not valid TOML. `key` is the dotted path of the key being defined, when known.
    case syntax(ConfigLocation, key: String?, reason: String)
    /// A value has the wrong type, is out of range, or is not one of the allowed choices.
    case invalidValue(ConfigLocation, key: String, reason: String)
    /// A key that nothing reads, with the closest known key when one is near enough to be a typo.
    case unknownKey(ConfigLocation, key: String, suggestion: String?)
    /// A required key is absent from the table defined at the location.
    case missingKey(ConfigLocation, key: String)
    /// A file or directory could not be read.
    case io(path: String, reason: String)

    /// Where the error is, when it is inside a file.
    public var location: ConfigLocation? {
        switch self {
        case .syntax(let location, _, _), .invalidValue(let location, _, _), .unknownKey(let location, _, _),
            .missingKey(let location, _):
            location
        case .io: nil
        }
    }

    /// The dotted key path (`store.codec`, `rules[2].window`), when the error concerns a key.
    public var key: String? {
        switch self {
        case .syntax(_, let key, _): key
        case .invalidValue(_, let key, _), .unknownKey(_, let key, _), .missingKey(_, let key): key
        case .io: nil
        }
    }

    /// The plain reason, without file, line or key.
    public var reason: String {
        switch self {
        case .syntax(_, _, let reason), .invalidValue(_, _, let reason), .io(_, let reason): reason
        case .unknownKey(_, _, let suggestion): "unknown key" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
        case .missingKey: "required key is missing"
        }
    }

    /// `FILE:LINE: KEY: REASON` (see the type's documentation).
    public var description: String {
        if case .io(let path, let reason) = self { return "\(path): \(reason)" }
        var out = location.map { "\($0): " } ?? ""
        if let key { out += "\(key): " }
        return out + reason
    }

    /// The same as `description`, so `localizedDescription` reads well too.
    public var errorDescription: String? { description }
}
