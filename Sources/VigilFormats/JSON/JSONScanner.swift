/// The byte-level JSON validator and flattener behind ``FlatJSONParser``.
///
/// It walks the input once, validating the full RFC 8259 grammar (strings with every escape and
/// surrogate pairs, UTF-8 inside strings, the number grammar, literals) and writes flattened
/// `key → value` pairs straight into a dictionary. Strings without escapes become `String`s
/// directly from the input bytes; escaped strings are validated first and then decoded in a second,
/// allocation-exact pass.
struct JSONScanner {
    let b: UnsafeBufferPointer<UInt8>
    var pos: Int
    /// Replace invalid UTF-8 inside strings with U+FFFD instead of rejecting the text.
    var repairsInvalidUTF8 = false
    /// Invalid bytes replaced so far (with `repairsInvalidUTF8`).
    var repairedBytes = 0
    let maxDepth: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, skippingBOM: Bool = true) {
        b = bytes
        self.maxDepth = maxDepth
        pos = skippingBOM && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    // MARK: Bytes

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// Skips JSON whitespace; returns whether there was any.
    @inline(__always) @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = pos
        while pos < b.count {
            let c = b[pos]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            pos += 1
        }
        return pos != start
    }

    @inline(__always)
    func peek() throws(JSONParseError) -> UInt8 {
        guard pos < b.count else { throw .unexpectedEnd(offset: pos) }
        return b[pos]
    }

    @inline(__always)
    func unexpected(_ expected: String) -> JSONParseError {
        pos < b.count ? .unexpectedCharacter(b[pos], offset: pos, expected: expected) : .unexpectedEnd(offset: pos)
    }

    @inline(__always)
    static func startsValue(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            true
        default: false
        }
    }

    /// Requires the end of input after optional whitespace.
    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        guard pos == b.count else { throw .trailingCharacters(offset: pos) }
    }

    // MARK: Objects, flattened

    /// Parses the object at `pos` (which holds `{`), adding its members to `sink` under `prefix`
    /// (`nil` for the top level, where the sink may claim keys into slots).
    mutating func parseObject<Sink: FlatJSONSink>(
        prefix: String?, depth: Int, into sink: inout Sink
    ) throws(JSONParseError) {
        guard depth <= maxDepth else { throw .tooDeep(offset: pos, limit: maxDepth) }
        pos += 1
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            pos += 1
            return
        }
        while true {
            guard try peek() == Self.quote else { throw unexpected("a string key") }
            let (keyStart, keyEnd, keyEscaped) = try scanString()
            var slot = -1
            var key = ""
            if let prefix {
                key = prefix + "." + (keyEscaped ? unescape(keyStart, keyEnd) : b.string(keyStart, keyEnd))
            } else if keyEscaped {
                key = unescape(keyStart, keyEnd)
                slot = key.utf8.withContiguousStorageIfAvailable { sink.slot(forTopLevelKey: $0) } ?? -1
            } else {
                slot = sink.slot(forTopLevelKey: b.slice(keyStart, keyEnd))
                if slot < 0 { key = b.string(keyStart, keyEnd) }  // claimed keys need no String
            }
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected("':'") }
            pos += 1
            skipWhitespace()
            let value: String?
            switch try peek() {
            case Self.quote:
                value = try readString()
            case UInt8(ascii: "{"):
                if slot >= 0, !keyEscaped { key = b.string(keyStart, keyEnd) }
                try parseObject(prefix: key, depth: depth + 1, into: &sink)
                value = nil  // the members were stored by the recursion
            case UInt8(ascii: "["):
                value = try readCompactContainer(depth: depth + 1)
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = "true"
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = "false"
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = nil  // null members are skipped
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = pos
                try scanNumber()
                value = b.string(start, pos)
            default:
                throw unexpected("a JSON value")
            }
            if let value {
                if slot >= 0 { sink.setSlot(slot, to: value) } else { sink.setField(key, to: value) }
            }
            skipWhitespace()
            let next = try peek()
            pos += 1
            if next == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if next == UInt8(ascii: "}") { return }
            pos -= 1
            throw unexpected("',' or '}'")
        }
    }

    /// Parses any value at `pos`, flattening it if it is an object.
    mutating func parseValue(depth: Int) throws(JSONParseError) -> FlatJSONValue {
        switch try peek() {
        case UInt8(ascii: "{"):
            var fields: [String: String] = [:]
            try parseObject(prefix: nil, depth: depth, into: &fields)
            return .object(fields)
        case UInt8(ascii: "["): return .array(try readCompactContainer(depth: depth))
        case Self.quote: return .string(try readString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = pos
            try scanNumber()
            return .number(b.string(start, pos))
        default:
            throw unexpected("a JSON value")
        }
    }

    /// Parses the object at the start of the text (after whitespace) into `sink`; anything else is
    /// an error. `depth` is 1 for a top-level text, 2 for an element of a top-level array.
    mutating func parseTopLevelObject<Sink: FlatJSONSink>(into sink: inout Sink, depth: Int = 1) throws(JSONParseError) {
        skipWhitespace()
        guard try peek() == UInt8(ascii: "{") else { throw notAnObjectError() }
        sink.reserveFields(estimatedMemberCount())
        try parseObject(prefix: nil, depth: depth, into: &sink)
    }

    /// Parses the object at the start of the text into a dictionary.
    mutating func parseTopLevelObject(depth: Int = 1) throws(JSONParseError) -> [String: String] {
        var fields: [String: String] = [:]
        try parseTopLevelObject(into: &fields, depth: depth)
        return fields
    }

    /// An estimate of the members in the object at `pos`: the colons before the first `}` (or
    /// newline), capped at 64. Reserving that many fields up front avoids growing the dictionary —
    /// and rehashing every key — several times per record; a low estimate (nested objects) only
    /// costs a resize.
    private func estimatedMemberCount() -> Int {
        var colons = 0
        var i = pos
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: ":") { colons += 1 }
            if c == UInt8(ascii: "}") || c == 0x0A { break }
            i += 1
        }
        return min(colons, 64)
    }

    /// The error for a value at `pos` that is not an object: the value's own error if it is invalid,
    /// ``JSONParseError/notAnObject(offset:)`` if it is valid, "expected '{'" if nothing starts there.
    mutating func notAnObjectError() -> JSONParseError {
        let start = pos
        guard pos < b.count, Self.startsValue(b[pos]) else { return unexpected("'{'") }
        var sawWhitespace = false
        do {
            try skipValue(depth: 1, sawWhitespace: &sawWhitespace)
        } catch {
            return error
        }
        return .notAnObject(offset: start)
    }

    // MARK: Compact containers

    /// Validates the array or object at `pos` and returns its compact JSON text (insignificant
    /// whitespace removed, strings as written).
    mutating func readCompactContainer(depth: Int) throws(JSONParseError) -> String {
        let start = pos
        var sawWhitespace = false
        try skipValue(depth: depth, sawWhitespace: &sawWhitespace)
        let end = pos
        guard sawWhitespace else { return b.string(start, end) }
        let source = b
        return String(unsafeUninitializedCapacity: end - start) { out in
            var o = 0
            var i = start
            var inString = false
            while i < end {
                let c = source[i]
                if inString {
                    out[o] = c
                    o += 1
                    if c == Self.backslash {
                        out[o] = source[i + 1]
                        o += 1
                        i += 2
                        continue
                    }
                    if c == Self.quote { inString = false }
                } else if c == Self.quote {
                    inString = true
                    out[o] = c
                    o += 1
                } else if !(c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) {
                    out[o] = c
                    o += 1
                }
                i += 1
            }
            return o
        }
    }

    /// Validates the value at `pos` and moves past it without building anything.
    mutating func skipValue(depth: Int, sawWhitespace: inout Bool) throws(JSONParseError) {
        switch try peek() {
        case Self.quote:
            _ = try scanString()
        case UInt8(ascii: "{"):
            guard depth <= maxDepth else { throw .tooDeep(offset: pos, limit: maxDepth) }
            pos += 1
            if skipWhitespace() { sawWhitespace = true }
            if try peek() == UInt8(ascii: "}") {
                pos += 1
                return
            }
            while true {
                guard try peek() == Self.quote else { throw unexpected("a string key") }
                _ = try scanString()
                if skipWhitespace() { sawWhitespace = true }
                guard try peek() == UInt8(ascii: ":") else { throw unexpected("':'") }
                pos += 1
                if skipWhitespace() { sawWhitespace = true }
                try skipValue(depth: depth + 1, sawWhitespace: &sawWhitespace)
                if skipWhitespace() { sawWhitespace = true }
                let c = try peek()
                pos += 1
                if c == UInt8(ascii: ",") {
                    if skipWhitespace() { sawWhitespace = true }
                    continue
                }
                if c == UInt8(ascii: "}") { return }
                pos -= 1
                throw unexpected("',' or '}'")
            }
        case UInt8(ascii: "["):
            guard depth <= maxDepth else { throw .tooDeep(offset: pos, limit: maxDepth) }
            pos += 1
            if skipWhitespace() { sawWhitespace = true }
            if try peek() == UInt8(ascii: "]") {
                pos += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1, sawWhitespace: &sawWhitespace)
                if skipWhitespace() { sawWhitespace = true }
                let c = try peek()
                pos += 1
                if c == UInt8(ascii: ",") {
                    if skipWhitespace() { sawWhitespace = true }
                    continue
                }
                if c == UInt8(ascii: "]") { return }
                pos -= 1
                throw unexpected("',' or ']'")
            }
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw unexpected("a JSON value")
        }
    }

    // MARK: Scalars

    @inline(__always)
    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for k in 0..<text.count {
            guard pos < b.count else { throw .unexpectedEnd(offset: pos) }
            guard b[pos] == text[k] else { throw unexpected("'\(literal)'") }
            pos += 1
        }
    }

    @inline(__always)
    private func isDigit(_ i: Int) -> Bool {
        i < b.count && b[i] &- 0x30 < 10
    }

    /// Validates `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` at `pos` and moves past it.
    mutating func scanNumber() throws(JSONParseError) {
        let start = pos
        var i = pos
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { throw .invalidNumber(offset: start) }
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { throw .invalidNumber(offset: start) }
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw .invalidNumber(offset: start) }
            while isDigit(i) { i += 1 }
        }
        if i < b.count, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { throw .invalidNumber(offset: start) }
            while isDigit(i) { i += 1 }
        }
        pos = i
    }

    /// Reads the string at `pos` (which holds `"`) and returns its decoded value.
    @inline(__always)
    mutating func readString() throws(JSONParseError) -> String {
        let (start, end, escaped) = try scanString()
        return escaped ? unescape(start, end) : b.string(start, end)
    }

    /// Validates the string at `pos` (which holds `"`), moves past its closing quote and returns the
    /// range of its contents and whether it contains escapes.
    mutating func scanString() throws(JSONParseError) -> (start: Int, end: Int, escaped: Bool) {
        let n = b.count
        let start = pos + 1
        var i = start
        var escaped = false
        while true {
            // Fast path: plain ASCII runs.
            while i < n {
                let c = b[i]
                guard c >= 0x20, c < 0x80, c != Self.quote, c != Self.backslash else { break }
                i += 1
            }
            guard i < n else { throw .unexpectedEnd(offset: n) }
            let c = b[i]
            if c == Self.quote {
                pos = i + 1
                return (start, i, escaped)
            }
            if c == Self.backslash {
                escaped = true
                guard i + 1 < n else { throw .unexpectedEnd(offset: n) }
                switch b[i + 1] {
                case Self.quote, Self.backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                    UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard let unit = hex4(at: i + 2) else {
                        throw i + 6 > n ? .unexpectedEnd(offset: n) : .invalidUnicodeEscape(offset: i)
                    }
                    if unit >= 0xD800 && unit <= 0xDBFF {
                        guard i + 7 < n, b[i + 6] == Self.backslash, b[i + 7] == UInt8(ascii: "u"),
                            let low = hex4(at: i + 8), low >= 0xDC00 && low <= 0xDFFF
                        else { throw .unpairedSurrogate(offset: i) }
                        i += 12
                    } else if unit >= 0xDC00 && unit <= 0xDFFF {
                        throw .unpairedSurrogate(offset: i)
                    } else {
                        i += 6
                    }
                default:
                    throw .invalidEscape(offset: i)
                }
                continue
            }
            if c < 0x20 { throw .controlCharacterInString(offset: i) }
            if let next = utf8SequenceEnd(at: i) {
                i = next
            } else if repairsInvalidUTF8 {
                // The string is built with U+FFFD for this byte (`string(_:_:)`, `unescape` repair).
                repairedBytes += 1
                i += 1
            } else {
                throw .invalidUTF8(offset: i)
            }
        }
    }

    /// Validates the multi-byte UTF-8 sequence starting at `i` (RFC 3629: no overlongs, no surrogates,
    /// nothing above U+10FFFF) and returns the index after it, or `nil` when it is not valid.
    @inline(__always)
    private func utf8SequenceEnd(at i: Int) -> Int? {
        let n = b.count
        let c = b[i]
        @inline(__always) func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            k < n && b[k] >= low && b[k] <= high
        }
        switch c {
        case 0xC2...0xDF:
            if continuation(i + 1) { return i + 2 }
        case 0xE0:
            if continuation(i + 1, 0xA0), continuation(i + 2) { return i + 3 }
        case 0xE1...0xEC, 0xEE...0xEF:
            if continuation(i + 1), continuation(i + 2) { return i + 3 }
        case 0xED:
            if continuation(i + 1, 0x80, 0x9F), continuation(i + 2) { return i + 3 }
        case 0xF0:
            if continuation(i + 1, 0x90), continuation(i + 2), continuation(i + 3) { return i + 4 }
        case 0xF1...0xF3:
            if continuation(i + 1), continuation(i + 2), continuation(i + 3) { return i + 4 }
        case 0xF4:
            if continuation(i + 1, 0x80, 0x8F), continuation(i + 2), continuation(i + 3) { return i + 4 }
        default:
            break
        }
        return nil
    }

    @inline(__always)
    private func hex4(at i: Int) -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var value: UInt32 = 0
        for k in i..<(i + 4) {
            let c = b[k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Decodes the contents of an already validated string that contains escapes. The result is
    /// never longer than the source, so one exact-capacity allocation suffices.
    private func unescape(_ start: Int, _ end: Int) -> String {
        String(unsafeUninitializedCapacity: end - start) { out in
            var o = 0
            var i = start
            while i < end {
                let c = b[i]
                if c != Self.backslash {
                    out[o] = c
                    o += 1
                    i += 1
                    continue
                }
                let e = b[i + 1]
                i += 2
                let decoded: UInt8
                switch e {
                case UInt8(ascii: "b"): decoded = 0x08
                case UInt8(ascii: "f"): decoded = 0x0C
                case UInt8(ascii: "n"): decoded = 0x0A
                case UInt8(ascii: "r"): decoded = 0x0D
                case UInt8(ascii: "t"): decoded = 0x09
                case UInt8(ascii: "u"):
                    var scalar = hex4(at: i)!
                    i += 4
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        let low = hex4(at: i + 2)!
                        i += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    if scalar < 0x80 {
                        out[o] = UInt8(scalar)
                        o += 1
                    } else if scalar < 0x800 {
                        out[o] = UInt8(0xC0 | scalar >> 6)
                        out[o + 1] = UInt8(0x80 | scalar & 0x3F)
                        o += 2
                    } else if scalar < 0x10000 {
                        out[o] = UInt8(0xE0 | scalar >> 12)
                        out[o + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                        out[o + 2] = UInt8(0x80 | scalar & 0x3F)
                        o += 3
                    } else {
                        out[o] = UInt8(0xF0 | scalar >> 18)
                        out[o + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
                        out[o + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
                        out[o + 3] = UInt8(0x80 | scalar & 0x3F)
                        o += 4
                    }
                    continue
                default: decoded = e  // `"`, `\` and `/` stand for themselves
                }
                out[o] = decoded
                o += 1
            }
            return o
        }
    }
}
