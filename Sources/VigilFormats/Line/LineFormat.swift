/// How ``LineDecoder`` reads each line (`vigil import --format`).
public enum LineFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Decide per line: `{` → JSON; `<digits>1 ` → RFC 5424; otherwise syslog RFC 3164 and its
    /// variants (including `/var/log/syslog`-style lines without a PRI); anything else → raw.
    case auto
    /// Syslog: RFC 3164 with its variants, and RFC 5424 too.
    case syslog
    /// Strict RFC 5424; other lines are raw.
    case rfc5424
    /// One JSON object per line; other lines are raw.
    case json
    /// Every line is a raw record: its text is the message, the receive time its time.
    case raw

    public var description: String { rawValue }

    /// Parses a format name, accepting common aliases: `rfc3164`/`3164`/`bsd` (syslog), `5424`,
    /// `ndjson`/`jsonl` (json), `text`/`plain` (raw). Case-insensitive.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "auto": self = .auto
        case "syslog", "rfc3164", "3164", "bsd": self = .syslog
        case "rfc5424", "5424": self = .rfc5424
        case "json", "ndjson", "jsonl": self = .json
        case "raw", "text", "plain": self = .raw
        default: return nil
        }
    }
}
