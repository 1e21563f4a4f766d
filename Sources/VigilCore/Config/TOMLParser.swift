/// A TOML 1.0 parser with no dependencies, producing `TOMLTable`s whose values and keys carry the file
/// and line they come from.
///
/// Why our own parser rather than a package (TOMLKit is in the mirrors): every error vigild and
/// `vigil config check` report names the file, the line and the key, also for values that parse but
/// do not validate, and `--effective` prints where each value came from; the packages keep no
/// positions for values.
///
/// It supports everything configuration files use: comments; bare, quoted and dotted keys; basic
/// strings with escapes (`\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`), literal strings, and their
/// multi-line forms (with line-ending backslashes); integers (decimal with `_`, `0x`, `0o`, `0b`,
/// signs); floats (fractions, exponents, `inf`, `nan`); booleans; arrays (multi-line, trailing comma,
/// mixed types); inline tables (on one line, as TOML 1.0 requires); `[table]`, `[a.b]` and
/// `[[array.of.tables]]` headers, with TOML's rules against defining a key or table twice.
///
/// Offset date-times, local date-times, local dates and local times are validated and kept as their
/// text, as `.string` values.
///
/// Malformed input throws `ConfigError.syntax` with the file, the line, the key being defined when
/// known, and a plain reason.
public struct TOMLParser {
    /// Parses a document held in a string. `file` names it in locations and errors.
    public static func parse(_ text: String, file: String = "<input>") throws(ConfigError) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8), file: file)
        return try parser.parseDocument()
    }

    /// Parses a document held as bytes, which must be UTF-8 (as TOML requires).
    public static func parse(bytes: [UInt8], file: String) throws(ConfigError) -> TOMLTable {
        var line = 1
        for chunk in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(validating: chunk, as: UTF8.self) == nil {
                throw ConfigError.syntax(ConfigLocation(file: file, line: line), key: nil, reason: "invalid UTF-8")
            }
            line += 1
        }
        var parser = TOMLParser(bytes: bytes, file: file)
        return try parser.parseDocument()
    }

    // MARK: - State

    let bytes: [UInt8]
    let file: String
    var index = 0
    /// How many arrays and inline tables enclose the value being parsed.
    var depth = 0
    /// Deeper nesting (or a longer dotted key) is refused: the parser recurses, and a file must not
    /// be able to overflow its stack.
    static let maximumDepth = 64
    var line = 1
    /// The dotted path of the key or header being parsed, for error messages.
    var context: [String]?
    let root: Node
    var current: Node

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        root = Node(origin: .header, path: [], location: ConfigLocation(file: file, line: 1))
        current = root
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// A table under construction. Tables are classes while parsing so headers can reopen them.
    final class Node {
        /// How a table came to exist, which decides whether a header or dotted key may add to it.
        enum Origin {
            /// Created as the parent of a header (`a` in `[a.b]`); a later `[a]` may still define it.
            case implicit
            /// Defined by a `[header]` (or the root, or an `[[array]]` element).
            case header
            /// Created by a dotted key (`a.b = 1`), in the current table or inside an inline table.
            case dotted
        }

        enum Item {
            /// A finished value: scalars, arrays, inline tables — none can be extended later.
            case value(TOMLValue)
            case table(Node)
            case tableArray([Node], ConfigLocation)
        }

        struct Slot {
            var keyLocation: ConfigLocation
            var item: Item
        }

        var origin: Origin
        let path: [String]
        var location: ConfigLocation
        var order: [String] = []
        var slots: [String: Slot] = [:]

        init(origin: Origin, path: [String], location: ConfigLocation) {
            self.origin = origin
            self.path = path
            self.location = location
        }

        func insert(_ key: String, _ slot: Slot) {
            order.append(key)
            slots[key] = slot
        }

        func freeze() -> TOMLTable {
            var table = TOMLTable(location: location)
            for key in order {
                guard let slot = slots[key] else { continue }
                let value: TOMLValue
                switch slot.item {
                case .value(let finished): value = finished
                case .table(let node): value = TOMLValue(.table(node.freeze()), location: node.location)
                case .tableArray(let nodes, let location):
                    value = TOMLValue(.tableArray(nodes.map { $0.freeze() }), location: location)
                }
                table.set(key, to: value, keyLocation: slot.keyLocation)
            }
            return table
        }
    }

    // MARK: - Document structure

    mutating func parseDocument() throws(ConfigError) -> TOMLTable {
        while true {
            skipWhitespace()
            guard let c = peek() else { break }
            switch c {
            case UInt8(ascii: "#"): try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            case UInt8(ascii: "["):
                try parseHeader()
                try expectLineEnd(after: "table header")
            default:
                try parseKeyValue(into: current)
                try expectLineEnd(after: "value")
            }
            context = nil
        }
        return root.freeze()
    }

    /// `[a.b]` or `[[a.b]]`: makes the table the current one.
    mutating func parseHeader() throws(ConfigError) {
        let location = here
        index += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { index += 1 }
        let key = try parseKey()
        context = key
        skipWhitespace()
        guard peek() == UInt8(ascii: "]") else {
            throw fail("expected ']' to close the table header, found \(found())")
        }
        index += 1
        if isArray {
            guard peek() == UInt8(ascii: "]") else {
                throw fail("expected ']]' to close the array-of-tables header, found \(found())")
            }
            index += 1
        }
        let name = isArray ? "[[\(TOMLKey.path(key))]]" : "[\(TOMLKey.path(key))]"

        var node = root
        for (n, part) in key.dropLast().enumerated() {
            if let slot = node.slots[part] {
                switch slot.item {
                case .table(let child): node = child
                case .tableArray(let elements, _): node = elements[elements.count - 1]
                case .value(let value):
                    throw fail(
                        "cannot define \(name): \(TOMLKey.path(Array(key[...n]))) is already \(value.typeDescription) "
                            + "(line \(slot.keyLocation.line))", line: location.line)
                }
            } else {
                let child = Node(origin: .implicit, path: Array(key[...n]), location: location)
                node.insert(part, Node.Slot(keyLocation: location, item: .table(child)))
                node = child
            }
        }

        let last = key[key.count - 1]
        let existing = node.slots[last]
        if isArray {
            let element = Node(origin: .header, path: key, location: location)
            switch existing?.item {
            case nil:
                node.insert(last, Node.Slot(keyLocation: location, item: .tableArray([element], location)))
            case .tableArray(let elements, let arrayLocation):
                node.slots[last]?.item = .tableArray(elements + [element], arrayLocation)
            case .table(let child):
                throw fail(
                    "cannot define \(name): \(TOMLKey.path(key)) is already a table (line \(child.location.line))",
                    line: location.line)
            case .value(let value):
                throw fail(
                    "cannot define \(name): \(TOMLKey.path(key)) is already \(value.typeDescription) "
                        + "(line \(existing!.keyLocation.line))", line: location.line)
            }
            current = element
            return
        }
        switch existing?.item {
        case nil:
            let child = Node(origin: .header, path: key, location: location)
            node.insert(last, Node.Slot(keyLocation: location, item: .table(child)))
            current = child
        case .table(let child):
            switch child.origin {
            case .implicit:
                child.origin = .header
                child.location = location
                current = child
            case .header:
                throw fail("table \(name) is defined twice (first on line \(child.location.line))", line: location.line)
            case .dotted:
                throw fail(
                    "cannot define \(name): the table was already defined with dotted keys "
                        + "(line \(existing!.keyLocation.line))", line: location.line)
            }
        case .tableArray(_, let arrayLocation):
            throw fail(
                "cannot define \(name): \(TOMLKey.path(key)) is already an array of tables "
                    + "(line \(arrayLocation.line))", line: location.line)
        case .value(let value):
            throw fail(
                "cannot define \(name): \(TOMLKey.path(key)) is already \(value.typeDescription) "
                    + "(line \(existing!.keyLocation.line))", line: location.line)
        }
    }

    /// `key = value` into `table` (the current table, or an inline table being parsed).
    mutating func parseKeyValue(into table: Node) throws(ConfigError) {
        let keyLocation = here
        let key = try parseKey()
        context = table.path + key
        skipWhitespace()
        guard peek() == UInt8(ascii: "=") else {
            throw fail("expected '=' after the key, found \(found())")
        }
        index += 1
        skipWhitespace()
        let value = try parseValue(path: table.path + key)
        try insert(key, value, into: table, keyLocation: keyLocation)
    }

    /// Defines a (possibly dotted) key, creating the intermediate tables.
    func insert(_ key: [String], _ value: TOMLValue, into table: Node, keyLocation: ConfigLocation) throws(ConfigError) {
        var node = table
        for part in key.dropLast() {
            if let slot = node.slots[part] {
                switch slot.item {
                case .table(let child) where child.origin == .dotted:
                    node = child
                case .table(let child):
                    throw fail(
                        "cannot add to table [\(TOMLKey.path(child.path))] with a dotted key: it is defined by a "
                            + "header (line \(child.location.line))", line: keyLocation.line)
                case .tableArray(_, let arrayLocation):
                    throw fail(
                        "cannot add to \(TOMLKey.path(node.path + [part])) with a dotted key: it is an array of "
                            + "tables (line \(arrayLocation.line))", line: keyLocation.line)
                case .value(let existing):
                    throw fail(
                        "cannot use \(TOMLKey.path(node.path + [part])) as a table: it is already "
                            + "\(existing.typeDescription) (line \(slot.keyLocation.line))", line: keyLocation.line)
                }
            } else {
                let child = Node(origin: .dotted, path: node.path + [part], location: keyLocation)
                node.insert(part, Node.Slot(keyLocation: keyLocation, item: .table(child)))
                node = child
            }
        }
        let last = key[key.count - 1]
        if let slot = node.slots[last] {
            throw fail("duplicate key (first defined on line \(slot.keyLocation.line))", line: keyLocation.line)
        }
        node.insert(last, Node.Slot(keyLocation: keyLocation, item: .value(value)))
    }

    // MARK: - Keys

    /// A dotted key: simple keys separated by `.`, with optional whitespace around the dots.
    mutating func parseKey() throws(ConfigError) -> [String] {
        var parts: [String] = []
        while true {
            skipWhitespace()
            parts.append(try parseSimpleKey())
            guard parts.count <= Self.maximumDepth else { throw fail("a key with more than \(Self.maximumDepth) dotted parts") }
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    mutating func parseSimpleKey() throws(ConfigError) -> String {
        guard let c = peek() else { throw fail("expected a key, found end of file") }
        switch c {
        case UInt8(ascii: "\""):
            if lookingAt("\"\"\"") { throw fail("a key cannot be a multi-line string") }
            return try parseBasicString()
        case UInt8(ascii: "'"):
            if lookingAt("'''") { throw fail("a key cannot be a multi-line string") }
            return try parseLiteralString()
        default:
            let start = index
            while let c = peek(), TOMLKey.isBareByte(c) { index += 1 }
            guard index > start else { throw fail("expected a key, found \(found())") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    // MARK: - Values

    mutating func parseValue(path: [String]) throws(ConfigError) -> TOMLValue {
        let location = here
        guard let c = peek() else { throw fail("expected a value, found end of file") }
        switch c {
        case UInt8(ascii: "\""):
            let text = lookingAt("\"\"\"") ? try parseMultilineBasicString() : try parseBasicString()
            return TOMLValue(.string(text), location: location)
        case UInt8(ascii: "'"):
            let text = lookingAt("'''") ? try parseMultilineLiteralString() : try parseLiteralString()
            return TOMLValue(.string(text), location: location)
        case UInt8(ascii: "["):
            return try parseArray(path: path, location: location)
        case UInt8(ascii: "{"):
            return try parseInlineTable(path: path, location: location)
        default:
            return TOMLValue(try parseScalar(), location: location)
        }
    }

    mutating func parseArray(path: [String], location: ConfigLocation) throws(ConfigError) -> TOMLValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw fail("arrays and inline tables nested more than \(Self.maximumDepth) deep") }
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlankLines()
            guard let c = peek() else {
                throw fail("unterminated array (opened on line \(location.line)): expected ']', found end of file")
            }
            if c == UInt8(ascii: "]") {
                index += 1
                break
            }
            elements.append(try parseValue(path: path))
            try skipBlankLines()
            guard let d = peek() else {
                throw fail("unterminated array (opened on line \(location.line)): expected ']', found end of file")
            }
            if d == UInt8(ascii: ",") {
                index += 1
            } else if d == UInt8(ascii: "]") {
                index += 1
                break
            } else {
                throw fail("expected ',' or ']' in the array, found \(found())")
            }
        }
        return TOMLValue(.array(elements), location: location)
    }

    mutating func parseInlineTable(path: [String], location: ConfigLocation) throws(ConfigError) -> TOMLValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw fail("arrays and inline tables nested more than \(Self.maximumDepth) deep") }
        index += 1
        let node = Node(origin: .dotted, path: path, location: location)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return TOMLValue(.table(node.freeze()), location: location)
        }
        while true {
            skipWhitespace()
            if let c = peek(), c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                throw fail("an inline table must be on one line: expected a key, found a newline")
            }
            try parseKeyValue(into: node)
            context = path
            skipWhitespace()
            guard let c = peek() else {
                throw fail("unterminated inline table: expected '}', found end of file")
            }
            if c == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") { throw fail("a trailing comma is not allowed in an inline table") }
            } else if c == UInt8(ascii: "}") {
                index += 1
                break
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                throw fail("an inline table must be on one line: expected ',' or '}', found a newline")
            } else {
                throw fail("expected ',' or '}' in the inline table, found \(found())")
            }
        }
        return TOMLValue(.table(node.freeze()), location: location)
    }

    // MARK: - Whitespace, comments, newlines

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    func lookingAt(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let pointer = text.utf8Start
        for k in 0..<count where bytes[index + k] != pointer[k] { return false }
        return true
    }

    var here: ConfigLocation { ConfigLocation(file: file, line: line) }

    mutating func skipWhitespace() {
        while let c = peek(), c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { index += 1 }
    }

    /// Whitespace, newlines and comments (inside arrays).
    mutating func skipBlankLines() throws(ConfigError) {
        while let c = peek() {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): index += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            case UInt8(ascii: "#"): try skipComment()
            default: return
            }
        }
    }

    /// `\n` or `\r\n`.
    mutating func consumeNewline() throws(ConfigError) {
        if peek() == UInt8(ascii: "\r") {
            guard peek(1) == UInt8(ascii: "\n") else { throw fail("a carriage return must be followed by a line feed") }
            index += 1
        }
        index += 1
        line += 1
    }

    /// From `#` to the end of the line (not including the newline).
    mutating func skipComment() throws(ConfigError) {
        index += 1
        while let c = peek(), c != UInt8(ascii: "\n") {
            if c == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { return }
            if Self.isControl(c) { throw fail("control character \(Self.describe(c)) is not allowed in a comment") }
            index += 1
        }
    }

    /// After a key/value pair or header: optional whitespace and comment, then a newline or the end.
    mutating func expectLineEnd(after what: String) throws(ConfigError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        guard let c = peek() else { return }
        guard c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") else {
            throw fail("expected a newline after the \(what), found \(found())")
        }
        try consumeNewline()
    }

    // MARK: - Errors

    func fail(_ reason: String, line: Int? = nil) -> ConfigError {
        .syntax(ConfigLocation(file: file, line: line ?? self.line), key: context.map(TOMLKey.path), reason: reason)
    }

    /// The character at the cursor, for messages: `'x'`, `a newline`, `U+00E9 'é'`, `end of file`.
    func found() -> String {
        guard let c = peek() else { return "end of file" }
        switch c {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "a newline"
        case UInt8(ascii: "\t"): return "a tab"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(c)))'"
        case ..<0x80: return Self.describe(c)
        default:
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let text = String(decoding: bytes[index..<end], as: UTF8.self)
            let scalar = text.unicodeScalars.first!.value
            return "U+\(Self.hex(scalar, width: 4)) '\(text)'"
        }
    }

    static func describe(_ c: UInt8) -> String { "U+\(hex(UInt32(c), width: 4))" }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Control characters TOML forbids in comments and strings (tab is allowed).
    static func isControl(_ c: UInt8) -> Bool {
        (c < 0x20 && c != UInt8(ascii: "\t")) || c == 0x7F
    }
}
