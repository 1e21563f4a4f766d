/// A fast, validating JSON parser that turns objects into flat `key → string` maps — the shape of
/// ``LogRecord/fields``.
///
/// Flattening rules:
/// - nested objects join their keys with dots: `{"a":{"b":1}}` → `a.b = "1"`;
/// - arrays are kept as their compact JSON text: `{"tags":[ "x", 2 ]}` → `tags = "[\"x\",2]"`;
/// - numbers keep their source text (`1.50`, `1e3`), so no precision is lost;
/// - `true` / `false` become `"true"` / `"false"`;
/// - `null` members are **skipped** (the key is absent), as are empty nested objects: a field that
///   exists always has a value, and `{"user":null}` reads the same as `{}`;
/// - when two members flatten to the same key (`{"a.b":1,"a":{"b":2}}`, or a duplicate key) the
///   later one wins.
///
/// The whole input is validated per RFC 8259: every string escape including surrogate pairs (an
/// unpaired surrogate is rejected, since it has no UTF-8 form), UTF-8 inside strings, the number
/// grammar, and a nesting limit. A leading UTF-8 byte-order mark is ignored. Errors are
/// ``JSONParseError`` values carrying the byte offset.
///
/// The parser is a plain value with no state; share it freely.
public struct FlatJSONParser: Sendable {
    /// The default nesting limit: objects and arrays more than 64 levels deep are rejected.
    public static let defaultMaxDepth = 64

    /// The deepest nesting accepted; the top-level object is level 1.
    public var maxDepth: Int
    /// Replace invalid UTF-8 inside strings with U+FFFD (counted) instead of rejecting the text, as
    /// the syslog parsers do: one bad byte should not cost a sender its record.
    public var repairsInvalidUTF8: Bool

    public init(maxDepth: Int = FlatJSONParser.defaultMaxDepth, repairsInvalidUTF8: Bool = false) {
        self.maxDepth = maxDepth
        self.repairsInvalidUTF8 = repairsInvalidUTF8
    }

    /// A scanner over `bytes` with this parser's settings.
    func scanner(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONScanner {
        var scanner = JSONScanner(bytes, maxDepth: maxDepth)
        scanner.repairsInvalidUTF8 = repairsInvalidUTF8
        return scanner
    }

    /// Parses one JSON text that must be an object, and returns it flattened.
    public func parseObject(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> [String: String] {
        var scanner = scanner(bytes)
        let fields = try scanner.parseTopLevelObject()
        try scanner.expectEnd()
        return fields
    }

    /// Parses one JSON text of any kind.
    public func parseValue(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> FlatJSONValue {
        var scanner = scanner(bytes)
        scanner.skipWhitespace()
        let value = try scanner.parseValue(depth: 1)
        try scanner.expectEnd()
        return value
    }

    /// Parses a JSON text that is either one object or an array of objects (the two shapes an HTTP
    /// log endpoint commonly accepts) and returns the objects flattened, in order.
    public func parseObjects(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> [[String: String]] {
        var repaired = 0
        return try parseObjects(bytes, repaired: &repaired)
    }

    /// `parseObjects(_:)`, adding the invalid bytes it replaced to `repaired`.
    public func parseObjects(_ bytes: UnsafeBufferPointer<UInt8>, repaired: inout Int) throws(JSONParseError) -> [[String: String]] {
        var scanner = scanner(bytes)
        defer { repaired += scanner.repairedBytes }
        scanner.skipWhitespace()
        guard try scanner.peek() == UInt8(ascii: "[") else {
            let object = try scanner.parseTopLevelObject()
            try scanner.expectEnd()
            return [object]
        }
        scanner.pos += 1
        var objects: [[String: String]] = []
        scanner.skipWhitespace()
        if try scanner.peek() == UInt8(ascii: "]") {
            scanner.pos += 1
        } else {
            while true {
                let c = try scanner.peek()
                guard c == UInt8(ascii: "{") else { throw scanner.notAnObjectError() }
                objects.append(try scanner.parseTopLevelObject(depth: 2))
                scanner.skipWhitespace()
                let next = try scanner.peek()
                if next == UInt8(ascii: ",") {
                    scanner.pos += 1
                    scanner.skipWhitespace()
                    continue
                }
                guard next == UInt8(ascii: "]") else { throw scanner.unexpected("',' or ']'") }
                scanner.pos += 1
                break
            }
        }
        try scanner.expectEnd()
        return objects
    }

    /// Parses NDJSON (JSON Lines): one object per line, `\n` or `\r\n` separated; blank lines are
    /// skipped. Stops at the first bad line with ``JSONParseError/onLine(_:_:)`` naming the 1-based
    /// line, so a request can be rejected as a whole.
    public func parseNDJSON(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> [[String: String]] {
        var objects: [[String: String]] = []
        try forEachNDJSONObject(in: bytes) { object, _ in objects.append(object) }
        return objects
    }

    /// Streams NDJSON: calls `body` with each flattened object and its 1-based line number. Objects
    /// before a bad line have been delivered when the error is thrown.
    public func forEachNDJSONObject(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (_ object: [String: String], _ line: Int) -> Void
    ) throws(JSONParseError) {
        var lineStart = 0
        var line = 0
        while lineStart < bytes.count {
            line += 1
            let newline = bytes.firstIndex(of: 0x0A, from: lineStart)
            var end = newline
            if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
            let text = bytes.slice(lineStart, end)
            lineStart = newline + 1
            var blank = true
            for c in text where !(c == 0x20 || c == 0x09) {
                blank = false
                break
            }
            if blank { continue }
            do {
                var scanner = JSONScanner(text, maxDepth: maxDepth, skippingBOM: line == 1)
                let object = try scanner.parseTopLevelObject()
                try scanner.expectEnd()
                body(object, line)
            } catch {
                throw .onLine(line, error)
            }
        }
    }
}
