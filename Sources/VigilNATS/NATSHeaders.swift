import Foundation

/// NATS message headers (`NATS/1.0` block of `HPUB`/`HMSG`), with the optional status line the
/// server uses for JetStream's flow messages (`404 No Messages`, `408 Request Timeout`, `503` for no
/// responders).
///
/// Names keep their case as given; lookups ignore case, as NATS's own clients do.
public struct NATSHeaders: Sendable, Equatable, Sequence {
    private var entries: [(name: String, value: String)] = []
    /// The status code of the header line (`NATS/1.0 404 No Messages`), when there is one.
    public var status: Int?
    /// The status line's description.
    public var statusDescription: String?

    public init() {}

    public init(_ entries: [(String, String)]) {
        for (name, value) in entries { append(name, value) }
    }

    public static func == (a: NATSHeaders, b: NATSHeaders) -> Bool {
        a.status == b.status && a.entries.map(\.name) == b.entries.map(\.name) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    /// Adds a header; a name may repeat.
    public mutating func append(_ name: String, _ value: String) { entries.append((name, value)) }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return entries.first { $0.name.lowercased() == lowered }?.value
    }

    public var isEmpty: Bool { entries.isEmpty && status == nil }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { entries.makeIterator() }

    /// The encoded block, `NATS/1.0\r\n` … `\r\n\r\n`. Line breaks in names or values are replaced
    /// by spaces so a value can never inject a header.
    public func encoded() -> [UInt8] {
        var text = "NATS/1.0"
        if let status { text += " \(status)" + (statusDescription.map { " " + $0 } ?? "") }
        text += "\r\n"
        for (name, value) in entries {
            text += Self.clean(name) + ": " + Self.clean(value) + "\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    private static func clean(_ text: String) -> String {
        // By bytes: "\r\n" is one Character to Swift and would slip past a test on characters.
        text.utf8.contains(where: { $0 == 13 || $0 == 10 })
            ? String(decoding: text.utf8.map { $0 == 13 || $0 == 10 ? UInt8(ascii: " ") : $0 }, as: UTF8.self) : text
    }

    /// Parses a header block as the server sends it.
    public static func parse(_ bytes: some Collection<UInt8>) throws(NATSError) -> NATSHeaders {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")[...]
        guard let first = lines.popFirst(), first.hasPrefix("NATS/1.0") else {
            throw .protocolViolation("header block does not start with NATS/1.0")
        }
        var headers = NATSHeaders()
        let statusText = first.dropFirst("NATS/1.0".count).drop { $0 == " " }
        if !statusText.isEmpty {
            let parts = statusText.split(separator: " ", maxSplits: 1)
            headers.status = Int(parts[0])
            if parts.count > 1 { headers.statusDescription = String(parts[1]) }
        }
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw .protocolViolation("header line without a colon") }
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...].drop { $0 == " " })
            headers.append(name, value)
        }
        return headers
    }
}
