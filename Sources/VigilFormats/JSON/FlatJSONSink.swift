/// Where ``JSONScanner`` puts the members of a flattened object.
///
/// A sink may claim some top-level keys (by their bytes, before a `String` is made for the key) and
/// receive their values in numbered slots instead of as fields; ``JSONRecordDecoder`` does this for
/// the keys it maps to record attributes, saving a hash insert plus a lookup and removal per key.
protocol FlatJSONSink {
    /// The slot for a top-level key, or -1 to receive it as a field.
    func slot(forTopLevelKey key: UnsafeBufferPointer<UInt8>) -> Int
    mutating func setSlot(_ slot: Int, to value: String)
    mutating func setField(_ key: String, to value: String)
    /// A hint: about how many fields to expect.
    mutating func reserveFields(_ count: Int)
}

extension Dictionary: FlatJSONSink where Key == String, Value == String {
    @inline(__always)
    func slot(forTopLevelKey key: UnsafeBufferPointer<UInt8>) -> Int { -1 }

    @inline(__always)
    mutating func setSlot(_ slot: Int, to value: String) {}

    @inline(__always)
    mutating func setField(_ key: String, to value: String) { self[key] = value }

    @inline(__always)
    mutating func reserveFields(_ count: Int) { reserveCapacity(count) }
}
