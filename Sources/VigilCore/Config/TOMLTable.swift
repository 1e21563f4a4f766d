/// A TOML table: keys in the order they were defined, each with the location of its key and its value.
public struct TOMLTable: Sendable, Equatable, CustomStringConvertible {
    /// One key of the table.
    public struct Entry: Sendable, Equatable {
        /// The key (one component, unquoted).
        public var key: String
        /// Where the key was written (for a `[header]` table: the header).
        public var keyLocation: ConfigLocation
        /// The value.
        public var value: TOMLValue

        /// Creates an entry.
        public init(key: String, keyLocation: ConfigLocation, value: TOMLValue) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    /// The entries in definition order.
    public private(set) var entries: [Entry] = []
    private var positions: [String: Int] = [:]
    /// Where the table was defined: its header, first dotted key, `{`, or the start of the file.
    public var location: ConfigLocation

    /// Creates an empty table defined at `location`.
    public init(location: ConfigLocation) {
        self.location = location
    }

    /// The keys in definition order.
    public var keys: [String] { entries.map(\.key) }
    /// The number of keys.
    public var count: Int { entries.count }
    /// Whether the table has no keys.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value of `key`, if present.
    public subscript(key: String) -> TOMLValue? {
        positions[key].map { entries[$0].value }
    }

    /// The entry of `key`, if present.
    public func entry(_ key: String) -> Entry? {
        positions[key].map { entries[$0] }
    }

    /// Sets `key` to `value`; an existing key keeps its place in the order.
    public mutating func set(_ key: String, to value: TOMLValue, keyLocation: ConfigLocation) {
        let entry = Entry(key: key, keyLocation: keyLocation, value: value)
        if let position = positions[key] {
            entries[position] = entry
        } else {
            positions[key] = entries.count
            entries.append(entry)
        }
    }

    /// The table as an inline TOML table: `{ a = 1, b = "x" }`.
    public var description: String {
        if entries.isEmpty { return "{}" }
        let body = entries.map { "\(TOMLKey.quoted($0.key)) = \($0.value)" }.joined(separator: ", ")
        return "{ \(body) }"
    }
}
