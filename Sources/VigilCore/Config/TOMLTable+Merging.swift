extension TOMLTable {
    /// Merges `other` (a later file) into this table, the way drop-in files override `vigil.toml`:
    /// tables merge key by key, recursively; arrays of tables written `[[name]]` in both are
    /// concatenated; any other later value (scalar, array, or a value of another type) replaces the
    /// earlier one and brings its own location.
    public mutating func merge(_ other: TOMLTable) {
        for entry in other.entries {
            guard let mine = self.entry(entry.key) else {
                set(entry.key, to: entry.value, keyLocation: entry.keyLocation)
                continue
            }
            switch (mine.value.kind, entry.value.kind) {
            case (.table(var table), .table(let later)):
                table.merge(later)
                set(entry.key, to: TOMLValue(.table(table), location: mine.value.location), keyLocation: mine.keyLocation)
            case (.tableArray(let tables), .tableArray(let later)):
                set(entry.key, to: TOMLValue(.tableArray(tables + later), location: mine.value.location),
                    keyLocation: mine.keyLocation)
            default:
                set(entry.key, to: entry.value, keyLocation: entry.keyLocation)
            }
        }
    }

    /// This table with `other` merged into it (see `merge(_:)`).
    public func merging(_ other: TOMLTable) -> TOMLTable {
        var result = self
        result.merge(other)
        return result
    }
}
