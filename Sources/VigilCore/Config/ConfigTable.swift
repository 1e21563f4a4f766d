/// A reader over one table of a (merged) configuration document that hands out typed values and
/// remembers which keys it was asked for, so that `finish()` can report every key nothing reads.
///
/// Every error is a `ConfigError` naming the file and line of the offending value and its dotted key
/// path (`store.codec`, `rules[1].window`). Getters return `nil` when the key is absent, so defaults
/// read naturally: `try table.int("zstd_level", in: 1...19) ?? 3`.
///
/// Tables handed out by `table(_:)`, `tableArray(_:)`, `namedTables(_:)` and the `decode` methods are
/// remembered too: `finish()` on the root checks the whole document.
///
/// A reader is a reference type with mutable state; use it on one task and then drop it.
public final class ConfigTable {
    /// The table being read.
    public let table: TOMLTable
    /// The dotted path of this table from the document root; empty for the root.
    public let path: String
    private var asked: Set<String> = []
    private var children: [ConfigTable] = []

    /// A reader over `table`, found at `path` (empty for the root).
    public init(_ table: TOMLTable, path: String = "") {
        self.table = table
        self.path = path
    }

    /// A reader over a loaded document's root table.
    public convenience init(document: ConfigurationDocument) {
        self.init(document.root)
    }

    /// Where the table was defined.
    public var location: ConfigLocation { table.location }
    /// The table's keys in definition order.
    public var keys: [String] { table.keys }

    /// Whether the table has `key`. This does not count as reading it.
    public func contains(_ key: String) -> Bool { table[key] != nil }

    /// The dotted path of `key` in this table: `store.codec`.
    public func keyPath(_ key: String) -> String {
        path.isEmpty ? TOMLKey.quoted(key) : path + "." + TOMLKey.quoted(key)
    }

    // MARK: - Raw access and errors

    /// The raw value of `key`, marking the key as read.
    public func value(_ key: String) -> TOMLValue? {
        asked.insert(key)
        return table[key]
    }

    /// An error about `key`'s value (at the value's line, or the table's when absent), for
    /// validations the typed getters do not cover.
    public func invalid(_ key: String, _ reason: String) -> ConfigError {
        .invalidValue(table[key]?.location ?? table.location, key: keyPath(key), reason: reason)
    }

    /// `value`, or a `missingKey` error when it is `nil`:
    /// `name = try table.required("name", table.string("name"))`.
    public func required<T>(_ key: String, _ value: T?) throws(ConfigError) -> T {
        guard let value else { throw .missingKey(table.location, key: keyPath(key)) }
        return value
    }

    private func mismatch(_ key: String, _ value: TOMLValue, expected: String) -> ConfigError {
        .invalidValue(value.location, key: keyPath(key), reason: "expected \(expected), got \(value.summary)")
    }

    // MARK: - Scalars

    /// A string.
    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value.kind else { throw mismatch(key, value, expected: "a string") }
        return text
    }

    /// An integer, optionally within `range`.
    public func int(_ key: String, in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        guard let value = value(key) else { return nil }
        let expected = range.map(Self.describe) ?? "an integer"
        guard case .integer(let integer) = value.kind, let number = Int(exactly: integer) else {
            throw mismatch(key, value, expected: expected)
        }
        if let range, !range.contains(number) { throw mismatch(key, value, expected: expected) }
        return number
    }

    /// `true` or `false`.
    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .boolean(let flag) = value.kind else { throw mismatch(key, value, expected: "true or false") }
        return flag
    }

    /// A number: a float, or an integer converted to one.
    public func double(_ key: String) throws(ConfigError) -> Double? {
        guard let value = value(key) else { return nil }
        switch value.kind {
        case .float(let number): return number
        case .integer(let number): return Double(number)
        default: throw mismatch(key, value, expected: "a number")
        }
    }

    /// A duration in nanoseconds: a string as `DurationParser` reads it (`"90s"`, `"15m"`, `"1h30m"`,
    /// `"30d"`, `"500ms"`) or an integer of seconds; at least `minimum` nanoseconds (pass 1 for
    /// "greater than zero").
    public func duration(_ key: String, atLeast minimum: Int64 = 0) throws(ConfigError) -> Int64? {
        guard let value = value(key) else { return nil }
        let nanos: Int64?
        switch value.kind {
        case .string(let text): nanos = DurationParser.parse(text)
        case .integer(let seconds):
            let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            nanos = overflow || seconds < 0 ? nil : product
        default: nanos = nil
        }
        guard let nanos else {
            throw mismatch(key, value, expected: "a duration such as \"90s\", \"15m\", \"1h\", \"30d\" or a number of seconds")
        }
        guard nanos >= minimum else {
            let bound = minimum == 1 ? "greater than 0" : "of at least \(DurationParser.format(minimum))"
            throw mismatch(key, value, expected: "a duration \(bound)")
        }
        return nanos
    }

    /// A size in bytes: a string as `ByteSizeParser` reads it (`"128MiB"`, `"1GiB"`, `"10MB"`) or an
    /// integer of bytes; at least `minimum` bytes.
    public func byteSize(_ key: String, atLeast minimum: Int64 = 0) throws(ConfigError) -> Int64? {
        guard let value = value(key) else { return nil }
        let bytes: Int64?
        switch value.kind {
        case .string(let text): bytes = ByteSizeParser.parse(text)
        case .integer(let count): bytes = count >= 0 ? count : nil
        default: bytes = nil
        }
        guard let bytes else {
            throw mismatch(key, value, expected: "a size such as \"128MiB\", \"1GiB\", \"10MB\" or a number of bytes")
        }
        guard bytes >= minimum else {
            throw mismatch(key, value, expected: "a size of at least \(Self.describeSize(minimum))")
        }
        return bytes
    }

    /// One of a fixed set of strings, mapped to its value:
    /// `try table.choice("codec", ["zstd": .zstd, "lz4": .lz4])`. The error lists the choices:
    /// `expected "zstd" or "lz4", got "gzip"`.
    public func choice<T>(_ key: String, _ choices: KeyValuePairs<String, T>) throws(ConfigError) -> T? {
        guard let value = value(key) else { return nil }
        if case .string(let text) = value.kind, let match = choices.first(where: { $0.key == text }) {
            return match.value
        }
        let names = choices.map { TOMLValue.quote($0.key) }
        let expected = names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
        throw mismatch(key, value, expected: expected)
    }

    /// An array of strings.
    public func stringArray(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let elements) = value.kind else { throw mismatch(key, value, expected: "an array of strings") }
        var strings: [String] = []
        for (position, element) in elements.enumerated() {
            guard case .string(let text) = element.kind else {
                throw .invalidValue(
                    element.location, key: "\(keyPath(key))[\(position)]",
                    reason: "expected a string, got \(element.summary)")
            }
            strings.append(text)
        }
        return strings
    }

    // MARK: - Tables

    /// The sub-table `key` (`[store]`), as a reader that `finish()` will check too.
    public func table(_ key: String) throws(ConfigError) -> ConfigTable? {
        guard let value = value(key) else { return nil }
        guard case .table(let subtable) = value.kind else { throw mismatch(key, value, expected: "a table") }
        return adopt(ConfigTable(subtable, path: keyPath(key)))
    }

    /// The array of tables `key` (`[[rules]]`, or an array of inline tables); empty when absent.
    public func tableArray(_ key: String) throws(ConfigError) -> [ConfigTable] {
        guard let value = value(key) else { return [] }
        var tables: [TOMLTable] = []
        switch value.kind {
        case .tableArray(let elements):
            tables = elements
        case .array(let elements):
            for (position, element) in elements.enumerated() {
                guard case .table(let subtable) = element.kind else {
                    throw .invalidValue(
                        element.location, key: "\(keyPath(key))[\(position)]",
                        reason: "expected a table, got \(element.summary)")
                }
                tables.append(subtable)
            }
        default:
            throw mismatch(key, value, expected: "an array of tables ([[\(TOMLKey.quoted(key))]])")
        }
        return tables.enumerated().map { adopt(ConfigTable($1, path: "\(keyPath(key))[\($0)]")) }
    }

    /// The sub-tables of table `key`, by name, in definition order: for `[inputs.syslog]` and
    /// `[inputs.http]`, `namedTables("inputs")` gives `syslog` and `http`. Empty when absent.
    public func namedTables(_ key: String) throws(ConfigError) -> [(name: String, table: ConfigTable)] {
        guard let parent = try table(key) else { return [] }
        var result: [(name: String, table: ConfigTable)] = []
        for name in parent.keys {
            guard let child = try parent.table(name) else { continue }
            result.append((name, child))
        }
        return result
    }

    /// The sub-table `key` decoded as `T`; `nil` when absent.
    public func decode<T: ConfigDecodable>(_ type: T.Type, _ key: String) throws(ConfigError) -> T? {
        guard let subtable = try table(key) else { return nil }
        return try T(table: subtable)
    }

    /// The array of tables `key` decoded as `T`s; empty when absent.
    public func decodeArray<T: ConfigDecodable>(_ type: T.Type, _ key: String) throws(ConfigError) -> [T] {
        var result: [T] = []
        for subtable in try tableArray(key) { result.append(try T(table: subtable)) }
        return result
    }

    // MARK: - Unknown keys

    /// Throws `unknownKey` for the first key (in definition order) that nothing read, here or in
    /// any table handed out by this reader, suggesting a read key when the name is close to one.
    public func finish() throws(ConfigError) {
        for entry in table.entries where !asked.contains(entry.key) {
            throw .unknownKey(entry.keyLocation, key: keyPath(entry.key), suggestion: suggestion(for: entry.key))
        }
        for child in children { try child.finish() }
    }

    private func adopt(_ child: ConfigTable) -> ConfigTable {
        children.append(child)
        return child
    }

    /// The read key nearest to `key`, if it is within a small edit distance.
    private func suggestion(for key: String) -> String? {
        let limit = max(1, min(3, key.count / 3))
        return asked.filter { table[$0] == nil }
            .map { ($0, Self.editDistance(key, $0)) }
            .filter { $0.1 <= limit }
            .min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours (the
    /// optimal string alignment distance), ignoring case.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    // MARK: - Descriptions

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == .max { return "an integer of at least \(range.lowerBound)" }
        if range.lowerBound == .min { return "an integer of at most \(range.upperBound)" }
        return "an integer from \(range.lowerBound) to \(range.upperBound)"
    }

    /// `65536` → `64KiB`; sizes that are not a whole number of a binary unit stay in bytes.
    static func describeSize(_ bytes: Int64) -> String {
        for (unit, scale) in [("TiB", Int64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes >= scale && bytes % scale == 0 {
            return "\(bytes / scale)\(unit)"
        }
        return "\(bytes) bytes"
    }
}
