import VigilCore

extension ConfigTable {
    /// A severity name (`"err"`, `"warning"`, aliases such as `"error"`, or 0–7).
    func severity(_ key: String) throws(ConfigError) -> Severity? {
        guard let text = try string(key) else { return nil }
        guard let severity = Severity(parsing: text) else {
            throw invalid(key, "expected a severity (emerg, alert, crit, err, warning, notice, info, debug), got \"\(text)\"")
        }
        return severity
    }

    /// A compiled regular expression; a bad pattern is an error naming the key and PCRE2's reason.
    func regex(_ key: String) throws(ConfigError) -> RegexPattern? {
        guard let text = try string(key) else { return nil }
        do {
            return try RegexPattern(text)
        } catch {
            throw invalid(key, "invalid regular expression at offset \(error.offset): \(error.message)")
        }
    }

    /// A `group_by` list of names.
    func groupBy(_ key: String) throws(ConfigError) -> GroupBy? {
        guard let names = try stringArray(key) else { return nil }
        if let empty = names.firstIndex(of: "") { throw invalid(key, "group_by[\(empty)] is empty") }
        if Set(names).count != names.count { throw invalid(key, "group_by names must be distinct") }
        return GroupBy(names)
    }

    /// A title template whose placeholders must be among `names`.
    func title(_ key: String, names: Set<String>) throws(ConfigError) -> TitleTemplate? {
        guard let text = try string(key) else { return nil }
        do {
            return try TitleTemplate(text, names: names)
        } catch {
            throw invalid(key, error.reason)
        }
    }

    /// A number within `range`.
    func double(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let number = try double(key) else { return nil }
        guard range.contains(number) else {
            throw invalid(key, "expected a number from \(range.lowerBound) to \(range.upperBound), got \(number)")
        }
        return number
    }

    /// A table of string values in definition order (`fields = { user = "root" }`).
    func stringTable(_ key: String) throws(ConfigError) -> [(key: String, value: String, table: ConfigTable)] {
        guard let table = try table(key) else { return [] }
        var result: [(key: String, value: String, table: ConfigTable)] = []
        for name in table.keys {
            guard let value = try table.string(name) else { continue }
            result.append((name, value, table))
        }
        return result
    }
}
