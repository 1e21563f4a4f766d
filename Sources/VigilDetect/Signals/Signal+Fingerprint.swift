extension Signal {
    /// The stable fingerprint of a signal name and group key: FNV-1a 64 over
    /// `name NUL key1 = value1 NUL key2 = value2 …`, as 16 lower-case hex digits. It is the same in
    /// every process and on every machine (no seeded hashing), so incidents survive restarts.
    public static func fingerprint(name: String, key: [GroupValue]) -> String {
        var hasher = FNV1a()
        hasher.add(name)
        for component in key {
            hasher.add(0)
            hasher.add(component.name)
            hasher.add(UInt8(ascii: "="))
            hasher.add(component.value)
        }
        return hasher.hex
    }
}
