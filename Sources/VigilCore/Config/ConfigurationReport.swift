/// What `vigil config check` tells beside "valid": the merged configuration with the file and line
/// each value comes from (as `git config --show-origin` and `systemd-analyze cat-config` do), and
/// the keys `vigil.toml` sets that a drop-in overrides.
public enum ConfigurationReport {
    /// A key the main file sets and a later file sets again.
    public struct Override: Sendable, Hashable, CustomStringConvertible {
        /// The dotted key (`store.codec`).
        public var key: String
        /// Where the main file sets it.
        public var setAt: ConfigLocation
        /// Where the drop-in that wins sets it.
        public var overriddenAt: ConfigLocation

        public var description: String { "\(setAt): \(key) is overridden by \(overriddenAt)" }
    }

    /// The values of `main` (the first file, `vigil.toml`) that `later` files (in merge order) set
    /// again; the last one to set a key is the one named.
    public static func overrides(main: TOMLTable, later: [TOMLTable]) -> [Override] {
        var result: [Override] = []
        for (key, location) in leaves(main, prefix: "") {
            var winner: ConfigLocation?
            for table in later {
                if let found = leaves(table, prefix: "").first(where: { $0.key == key }) { winner = found.location }
            }
            if let winner { result.append(Override(key: key, setAt: location, overriddenAt: winner)) }
        }
        return result
    }

    /// The scalar and array values of a table by dotted key, with their locations; arrays of tables
    /// are left out (they concatenate rather than override).
    static func leaves(_ table: TOMLTable, prefix: String) -> [(key: String, location: ConfigLocation)] {
        var result: [(key: String, location: ConfigLocation)] = []
        for entry in table.entries {
            let key = prefix.isEmpty ? TOMLKey.quoted(entry.key) : prefix + "." + TOMLKey.quoted(entry.key)
            switch entry.value.kind {
            case .table(let child): result += leaves(child, prefix: key)
            case .tableArray: break
            default: result.append((key, entry.value.location))
            }
        }
        return result
    }

    /// The merged document as TOML, every value followed by `# FILE:LINE`, the file and line it
    /// comes from. Values nothing set are not shown (they have their defaults; see the examples);
    /// secrets are hidden.
    public static func render(_ root: TOMLTable) -> String {
        var lines: [String] = []
        emit(root, path: [], into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Keys whose values are secrets (API tokens, webhook signing keys, PagerDuty routing keys,
    /// extra headers such as Authorization): shown as `"(hidden)"`.
    static let hiddenKeys: Set<String> = ["token", "tokens", "secret", "secrets", "routing_key", "headers"]

    private static func emit(_ table: TOMLTable, path: [String], into lines: inout [String]) {
        for entry in table.entries {
            switch entry.value.kind {
            case .table where hiddenKeys.contains(entry.key), .tableArray where hiddenKeys.contains(entry.key):
                lines.append("\(TOMLKey.quoted(entry.key)) = \"(hidden)\"  # \(entry.value.location)")
            case .table, .tableArray: continue
            default:
                let value = hiddenKeys.contains(entry.key) ? "\"(hidden)\"" : entry.value.description
                lines.append("\(TOMLKey.quoted(entry.key)) = \(value)  # \(entry.value.location)")
            }
        }
        for entry in table.entries where !hiddenKeys.contains(entry.key) {
            let childPath = path + [TOMLKey.quoted(entry.key)]
            switch entry.value.kind {
            case .table(let child):
                let hasValues = child.entries.contains {
                    if case .table = $0.value.kind { return false }
                    if case .tableArray = $0.value.kind { return false }
                    return true
                }
                if hasValues {
                    lines.append("")
                    lines.append("[\(childPath.joined(separator: "."))]")
                }
                emit(child, path: childPath, into: &lines)
            case .tableArray(let tables):
                for child in tables {
                    lines.append("")
                    lines.append("[[\(childPath.joined(separator: "."))]]  # \(child.location)")
                    emit(child, path: childPath, into: &lines)
                }
            default:
                continue
            }
        }
    }
}
