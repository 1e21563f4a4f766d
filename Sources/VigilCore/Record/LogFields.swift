/// A record's extra fields: names mapped to values, kept in one small array sorted by name.
///
/// Records carry a handful of fields (a syslog sender's address, a process id, a few JSON keys),
/// and many of them wait in memory until they are durable. An array sorted by name is about half
/// the size of a dictionary of the same entries, needs no hashing to fill, and comes out in the
/// order the block encoder writes, so encoding does not sort. Lookups scan the few entries, or
/// search by halves when there are many.
///
/// It reads like a dictionary: `fields["pid"]`, `fields["pid"] = "42"`, `for (key, value) in fields`,
/// and `["pid": "42"]` literals. Setting an existing name replaces its value.
public struct LogFields: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One field.
    public typealias Element = (key: String, value: String)

    @usableFromInline
    struct Entry: Sendable, Hashable {
        @usableFromInline var key: String
        @usableFromInline var value: String

        @usableFromInline
        init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    // Inlinable accessors: iterating a record's fields is on the store writer's hot path, in
    // another module.
    @usableFromInline var entries: [Entry]

    /// No fields.
    public init() {
        entries = []
    }

    /// No fields yet, with room for `minimumCapacity` before the storage grows: parsers that know
    /// how many fields a record gets (and the inputs that add one) allocate once.
    public init(minimumCapacity: Int) {
        entries = []
        entries.reserveCapacity(minimumCapacity)
    }

    /// The entries of `dictionary`.
    public init(_ dictionary: [String: String]) {
        entries = dictionary.map { Entry(key: $0.key, value: $0.value) }
        entries.sort { $0.key < $1.key }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { entries.count }
    @inlinable public var count: Int { entries.count }
    @inlinable public var isEmpty: Bool { entries.isEmpty }

    @inlinable
    public subscript(position: Int) -> Element {
        let entry = entries[position]
        return (entry.key, entry.value)
    }

    /// Calls `body` with each field's name and value, in order, without copying them: the block
    /// encoder's loop.
    @inlinable
    public func forEachField(_ body: (_ key: borrowing String, _ value: borrowing String) -> Void) {
        entries.withUnsafeBufferPointer { entries in
            for index in entries.indices { body(entries[index].key, entries[index].value) }
        }
    }

    /// The value of the field `key`; setting `nil` removes the field.
    public subscript(key: String) -> String? {
        get {
            let (index, found) = position(of: key)
            return found ? entries[index].value : nil
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): entries[index].value = value
            case (true, nil): entries.remove(at: index)
            case (false, let value?):
                if index == entries.count {
                    entries.append(Entry(key: key, value: value))
                } else {
                    entries.insert(Entry(key: key, value: value), at: index)
                }
            case (false, nil): break
            }
        }
    }

    /// Removes the field `key`, returning its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> String? {
        let (index, found) = position(of: key)
        return found ? entries.remove(at: index).value : nil
    }

    /// Reserves room for `count` fields.
    public mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    /// The fields as a dictionary.
    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
    }

    public var description: String {
        "[" + entries.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "]"
    }

    /// Where `key` is, or where it would be inserted to keep the order.
    private func position(of key: String) -> (index: Int, found: Bool) {
        // Fields mostly arrive in name order (parsers add `pid` before `source_ip`): one comparison.
        guard let last = entries.last, key <= last.key else { return (entries.count, false) }
        if entries.count <= 8 {
            for (index, entry) in entries.enumerated() {
                if entry.key == key { return (index, true) }
                if key < entry.key { return (index, false) }
            }
            return (entries.count, false)
        }
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return (low, low < entries.count && entries[low].key == key)
    }
}
