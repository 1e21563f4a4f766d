import VigilCore

/// How records are split into streams: an ordered list of names, each `service`, `host`,
/// `severity` (the record's own properties) or any other name (a key of `LogRecord.fields`; a
/// record without that field has the empty value).
public struct GroupBy: Sendable, Hashable, CustomStringConvertible {
    /// One component of the key.
    enum Part: Sendable, Hashable {
        case service, host, severity
        case field(String)
    }

    /// The configured names, in order.
    public let names: [String]
    let parts: [Part]

    /// Group by `names`, in order. An empty list puts every record in one stream.
    public init(_ names: [String]) {
        self.names = names
        parts = names.map { name in
            switch name {
            case "service": .service
            case "host": .host
            case "severity": .severity
            default: .field(name)
            }
        }
    }

    /// Group by service, the default everywhere.
    public static let service = GroupBy(["service"])

    /// `["service", "host"]` as `service, host`.
    public var description: String { names.joined(separator: ", ") }

    @inline(__always)
    private static func value(_ part: Part, of record: LogRecord) -> String {
        switch part {
        case .service: record.service
        case .host: record.host
        case .severity: record.severity.name
        case .field(let name): record.fields[name] ?? ""
        }
    }

    /// The stream key of `record`: the single value when grouping by one name (no allocation),
    /// else the values joined by U+001F (unit separator).
    @inline(__always)
    func key(of record: LogRecord) -> String {
        if parts.count == 1 { return Self.value(parts[0], of: record) }
        var key = ""
        for (position, part) in parts.enumerated() {
            if position > 0 { key.append("\u{1F}") }
            key.append(Self.value(part, of: record))
        }
        return key
    }

    /// The stream key of a group whose values are `values` (in `names` order), as `key(of:)` makes it.
    func key(ofValues values: [String]) -> String {
        values.joined(separator: "\u{1F}")
    }

    /// The ordered name/value pairs of `record`'s key, for signals.
    func values(of record: LogRecord) -> [GroupValue] {
        zip(names, parts).map { GroupValue(name: $0, value: Self.value($1, of: record)) }
    }
}
