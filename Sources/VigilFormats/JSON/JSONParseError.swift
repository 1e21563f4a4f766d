/// Why a JSON text was rejected, with the byte offset (0-based, from the start of the text given to
/// the parser) where the problem was found.
///
/// For NDJSON the error is wrapped in ``onLine(_:_:)`` with the 1-based line number; the wrapped
/// offset is then relative to the start of that line.
public enum JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text ended inside a value (or was empty).
    case unexpectedEnd(offset: Int)
    /// A byte that cannot appear here; `expected` says what could.
    case unexpectedCharacter(UInt8, offset: Int, expected: String)
    /// A backslash followed by something other than `" \ / b f n r t u`.
    case invalidEscape(offset: Int)
    /// `\u` not followed by four hex digits.
    case invalidUnicodeEscape(offset: Int)
    /// A UTF-16 surrogate escape without its partner (`\uD83D` alone); it has no UTF-8 encoding.
    case unpairedSurrogate(offset: Int)
    /// A number that does not follow the JSON grammar (`01`, `1.`, `-`, `1e`).
    case invalidNumber(offset: Int)
    /// An unescaped control character (below U+0020) inside a string.
    case controlCharacterInString(offset: Int)
    /// Bytes inside a string that are not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// Objects and arrays nested deeper than the parser's limit.
    case tooDeep(offset: Int, limit: Int)
    /// Something other than whitespace after the value.
    case trailingCharacters(offset: Int)
    /// A valid value of the wrong kind where an object was required.
    case notAnObject(offset: Int)
    /// An error on a line of NDJSON input (1-based line number; the inner offset is within the line).
    indirect case onLine(Int, JSONParseError)

    /// The byte offset of the problem (within its line for ``onLine(_:_:)``).
    public var offset: Int {
        switch self {
        case .unexpectedEnd(let o), .invalidEscape(let o), .invalidUnicodeEscape(let o), .unpairedSurrogate(let o),
            .invalidNumber(let o), .controlCharacterInString(let o), .invalidUTF8(let o), .trailingCharacters(let o),
            .notAnObject(let o):
            o
        case .unexpectedCharacter(_, let o, _), .tooDeep(let o, _): o
        case .onLine(_, let inner): inner.offset
        }
    }

    /// The 1-based NDJSON line, when the error came from NDJSON input.
    public var line: Int? {
        if case .onLine(let line, _) = self { return line }
        return nil
    }

    /// The reason without the position.
    public var reason: String {
        switch self {
        case .unexpectedEnd: return "unexpected end of input"
        case .unexpectedCharacter(let byte, _, let expected):
            return "unexpected \(Self.describe(byte)), expected \(expected)"
        case .invalidEscape: return "invalid escape sequence in string"
        case .invalidUnicodeEscape: return "\\u must be followed by four hex digits"
        case .unpairedSurrogate: return "unpaired UTF-16 surrogate in \\u escape"
        case .invalidNumber: return "invalid number"
        case .controlCharacterInString: return "unescaped control character in string"
        case .invalidUTF8: return "invalid UTF-8 in string"
        case .tooDeep(_, let limit): return "nesting deeper than \(limit) levels"
        case .trailingCharacters: return "unexpected data after the JSON value"
        case .notAnObject: return "expected a JSON object"
        case .onLine(_, let inner): return inner.reason
        }
    }

    public var description: String {
        if case .onLine(let line, let inner) = self {
            return "line \(line), byte \(inner.offset): \(inner.reason)"
        }
        return "byte \(offset): \(reason)"
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }
}
