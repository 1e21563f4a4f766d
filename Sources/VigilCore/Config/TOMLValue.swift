/// A value of a parsed TOML document, with the location where it starts.
///
/// Date-times (offset and local date-times, local dates and local times) are validated by the parser
/// and kept as their text, as `.string` values: Vigil's configuration has no date-valued keys, and a
/// reader that wants one can hand the text to `TimestampParser`.
public struct TOMLValue: Sendable, Equatable, CustomStringConvertible {
    /// The kinds of TOML value.
    public enum Kind: Sendable, Equatable {
        /// A string (basic, literal or multi-line), or the text of a date-time.
        case string(String)
        /// A 64-bit integer.
        case integer(Int64)
        /// A float, including `inf` and `nan`.
        case float(Double)
        /// `true` or `false`.
        case boolean(Bool)
        /// An array written with `[ … ]`: a value that a later file replaces as a whole.
        case array([TOMLValue])
        /// A table: `[header]`, dotted keys or an inline `{ … }`.
        case table(TOMLTable)
        /// An array of tables written with `[[header]]`: later files append to it.
        case tableArray([TOMLTable])
    }

    /// What the value is.
    public var kind: Kind
    /// Where the value starts (for a table: its header, first dotted key, or `{`).
    public var location: ConfigLocation

    /// Creates a value.
    public init(_ kind: Kind, location: ConfigLocation) {
        self.kind = kind
        self.location = location
    }

    /// The value's type with an article, for messages: `a string`, `an integer`, `an array of tables`.
    public var typeDescription: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .tableArray: "an array of tables"
        }
    }

    /// The value written as TOML (tables inline): `"gzip"`, `3`, `[1, 2]`, `{ a = 1 }`.
    public var description: String {
        switch kind {
        case .string(let text): Self.quote(text)
        case .integer(let value): String(value)
        case .float(let value):
            value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : String(value)
        case .boolean(let value): value ? "true" : "false"
        case .array(let elements): "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .table(let table): table.description
        case .tableArray(let tables): "[" + tables.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// A short form for messages: scalars as TOML (long ones cut), containers by their type.
    public var summary: String {
        switch kind {
        case .table, .tableArray: return typeDescription
        default:
            let text = description
            return text.count <= 60 ? text : String(text.prefix(57)) + "…"
        }
    }

    /// `text` as a TOML basic string, with quotes and escapes.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
