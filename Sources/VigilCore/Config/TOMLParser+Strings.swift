extension TOMLParser {
    /// `"…"` with escapes, on one line.
    mutating func parseBasicString() throws(ConfigError) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw fail("unterminated string: missing the closing '\"'") }
            switch c {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw fail("unterminated string: missing the closing '\"' before the end of the line")
            default:
                try checkStringByte(c)
                out.append(c)
                index += 1
            }
        }
    }

    /// `"""…"""`: a newline right after the opening quotes is dropped, a backslash at the end of a
    /// line joins it with the next non-blank text, and CRLF reads as LF.
    mutating func parseMultilineBasicString() throws(ConfigError) -> String {
        let openingLine = line
        index += 3
        if let c = peek(), c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { try consumeNewline() }
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw fail("unterminated multi-line string (opened on line \(openingLine)): missing the closing '\"\"\"'")
            }
            switch c {
            case UInt8(ascii: "\""):
                if try closeMultiline(quote: c, into: &out) { return String(decoding: out, as: UTF8.self) }
            case UInt8(ascii: "\\"):
                var next = index + 1
                while let d = peek(next - index), d == UInt8(ascii: " ") || d == UInt8(ascii: "\t") { next += 1 }
                if let d = peek(next - index), d == UInt8(ascii: "\n") || d == UInt8(ascii: "\r") {
                    index = next
                    while let d = peek() {
                        if d == UInt8(ascii: " ") || d == UInt8(ascii: "\t") {
                            index += 1
                        } else if d == UInt8(ascii: "\n") || d == UInt8(ascii: "\r") {
                            try consumeNewline()
                        } else {
                            break
                        }
                    }
                } else {
                    try parseEscape(into: &out)
                }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                out.append(UInt8(ascii: "\n"))
            default:
                try checkStringByte(c)
                out.append(c)
                index += 1
            }
        }
    }

    /// `'…'`: no escapes, on one line.
    mutating func parseLiteralString() throws(ConfigError) -> String {
        index += 1
        let start = index
        while true {
            guard let c = peek() else { throw fail("unterminated string: missing the closing \"'\"") }
            switch c {
            case UInt8(ascii: "'"):
                defer { index += 1 }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw fail("unterminated string: missing the closing \"'\" before the end of the line")
            default:
                try checkStringByte(c)
                index += 1
            }
        }
    }

    /// `'''…'''`: no escapes; a newline right after the opening quotes is dropped.
    mutating func parseMultilineLiteralString() throws(ConfigError) -> String {
        let openingLine = line
        index += 3
        if let c = peek(), c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { try consumeNewline() }
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw fail("unterminated multi-line string (opened on line \(openingLine)): missing the closing \"'''\"")
            }
            switch c {
            case UInt8(ascii: "'"):
                if try closeMultiline(quote: c, into: &out) { return String(decoding: out, as: UTF8.self) }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                out.append(UInt8(ascii: "\n"))
            default:
                try checkStringByte(c)
                out.append(c)
                index += 1
            }
        }
    }

    /// At a run of quotes inside a multi-line string: one or two are content; three to five close the
    /// string, the extra one or two being content. Returns whether the string ended.
    mutating func closeMultiline(quote: UInt8, into out: inout [UInt8]) throws(ConfigError) -> Bool {
        var run = 0
        while peek(run) == quote { run += 1 }
        if run > 5 { throw fail("too many quotes in a row in a multi-line string (at most 2 may precede the closing 3)") }
        index += run
        if run < 3 {
            out.append(contentsOf: repeatElement(quote, count: run))
            return false
        }
        out.append(contentsOf: repeatElement(quote, count: run - 3))
        return true
    }

    /// A backslash escape, the cursor on the backslash.
    mutating func parseEscape(into out: inout [UInt8]) throws(ConfigError) {
        index += 1
        guard let c = peek() else { throw fail("unterminated string: missing the closing '\"'") }
        index += 1
        switch c {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"): try parseUnicodeEscape(digits: 4, into: &out)
        case UInt8(ascii: "U"): try parseUnicodeEscape(digits: 8, into: &out)
        default:
            index -= 1
            let shown = found()
            throw fail("invalid escape sequence: backslash followed by \(shown)")
        }
    }

    mutating func parseUnicodeEscape(digits: Int, into out: inout [UInt8]) throws(ConfigError) {
        let escape = digits == 4 ? "\\u" : "\\U"
        var value: UInt32 = 0
        for k in 0..<digits {
            guard let c = peek(k), let digit = Self.hexValue(c) else {
                throw fail("invalid escape sequence: \(escape) needs \(digits) hexadecimal digits")
            }
            value = value << 4 | digit
        }
        index += digits
        guard let scalar = Unicode.Scalar(value) else {
            throw fail("invalid escape sequence: \(escape)\(Self.hex(value, width: digits)) is not a Unicode scalar value")
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    func checkStringByte(_ c: UInt8) throws(ConfigError) {
        if Self.isControl(c) {
            throw fail("control character \(Self.describe(c)) is not allowed in a string")
        }
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
