import Foundation

/// Parses durations as configuration and the CLI write them: `90s`, `15m`, `1h`, `30d`, `2w`,
/// `500ms`, `1h30m`, or a bare number of seconds. Returns nanoseconds.
public enum DurationParser {
    private static let units: [(suffix: String, nanos: Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("sec", 1_000_000_000), ("m", 60_000_000_000), ("min", 60_000_000_000),
        ("h", 3_600_000_000_000), ("d", 86_400_000_000_000), ("w", 604_800_000_000_000),
    ]

    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let seconds = Double(trimmed), seconds >= 0 { return nanoseconds(seconds, 1_000_000_000) }
        var total: Int64 = 0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" }
            guard let scale = units.first(where: { $0.suffix == unit })?.nanos else { return nil }
            rest = rest.dropFirst(unit.count)
            guard let part = nanoseconds(value, scale) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(part)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }

    /// `value` units of `scale` nanoseconds; `nil` when not finite or too large for an `Int64`.
    private static func nanoseconds(_ value: Double, _ scale: Int64) -> Int64? {
        let nanos = (value * Double(scale)).rounded()
        guard nanos.isFinite, nanos < 9.2e18 else { return nil }
        return Int64(nanos)
    }

    /// Formats nanoseconds in the largest whole unit: `60s`, `1h`, `1h30m`, `250ms`.
    public static func format(_ nanos: Int64) -> String {
        if nanos == 0 { return "0s" }
        if nanos % 1_000_000_000 != 0 { return "\(nanos / 1_000_000)ms" }
        var seconds = nanos / 1_000_000_000
        var out = ""
        for (suffix, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where seconds >= size {
            out += "\(seconds / size)\(suffix)"
            seconds %= size
        }
        return out
    }
}

/// Parses byte sizes: `128MiB`, `1GiB`, `512KiB`, `10MB` (powers of 1000), `4096`, `64k` (binary).
public enum ByteSizeParser {
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard !digits.isEmpty, let value = Double(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "k", "kib": scale = 1024
        case "kb": scale = 1000
        case "m", "mib": scale = 1_048_576
        case "mb": scale = 1_000_000
        case "g", "gib": scale = 1_073_741_824
        case "gb": scale = 1_000_000_000
        case "t", "tib": scale = 1_099_511_627_776
        case "tb": scale = 1_000_000_000_000
        default: return nil
        }
        let bytes = value * scale
        guard bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }

    /// Formats a byte count in binary units with one decimal: `1.5 GiB`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return index == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[index])
    }
}
