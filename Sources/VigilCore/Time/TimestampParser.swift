/// Parsers for the timestamp forms log sources use. Each returns nanoseconds since the epoch (UTC).
///
/// They work on UTF-8 bytes so the ingest hot paths can call them without building `String`s.
public enum TimestampParser {
    /// Parses RFC 3339 / ISO 8601 date-times: `2026-11-23T09:17:15Z`, `2026-11-23T09:17:15.123456+01:00`,
    /// and the lenient forms seen in logs: a space instead of `T`, a `,` before the fraction, a missing
    /// offset (then `defaultOffsetSeconds` applies, UTC by default), and offsets written `+0100`.
    /// Fractions keep up to nanosecond precision; further digits are dropped.
    public static func parseRFC3339(_ text: some StringProtocol, defaultOffsetSeconds: Int = 0) -> Int64? {
        let utf8 = String(text).utf8
        return utf8.withContiguousStorageIfAvailable { parseRFC3339($0, defaultOffsetSeconds: defaultOffsetSeconds)?.nanos }
            ?? Array(utf8).withUnsafeBufferPointer { parseRFC3339($0, defaultOffsetSeconds: defaultOffsetSeconds)?.nanos }
    }

    /// Byte-level RFC 3339 parser. Returns the time and how many bytes it consumed.
    public static func parseRFC3339(
        _ b: UnsafeBufferPointer<UInt8>, defaultOffsetSeconds: Int = 0
    ) -> (nanos: Int64, length: Int)? {
        let n = b.count
        guard n >= 19 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let c = b[i]
            return c >= 48 && c <= 57 ? Int(c - 48) : nil
        }
        @inline(__always) func number(_ i: Int, _ width: Int) -> Int? {
            var value = 0
            for k in i..<(i + width) {
                guard let d = digit(k) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2), b[7] == UInt8(ascii: "-"),
            let day = number(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
            let hour = number(11, 2), b[13] == UInt8(ascii: ":"), let minute = number(14, 2),
            b[16] == UInt8(ascii: ":"), let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        var i = 19
        var nanos = 0
        if i < n, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
            i += 1
            var digits = 0
            while i < n, let d = digit(i) {
                if digits < 9 {
                    nanos = nanos * 10 + d
                    digits += 1
                }
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        var offset = defaultOffsetSeconds
        if i < n {
            let c = b[i]
            if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                offset = 0
                i += 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                guard i + 3 <= n, let oh = number(i + 1, 2) else { return nil }
                var om = 0
                var end = i + 3
                if end < n, b[end] == UInt8(ascii: ":") {
                    guard end + 3 <= n, let m = number(end + 1, 2) else { return nil }
                    om = m
                    end += 3
                } else if end + 2 <= n, let m = number(end, 2) {
                    om = m
                    end += 2
                }
                guard oh < 24, om < 60 else { return nil }
                offset = (oh * 3600 + om * 60) * (c == UInt8(ascii: "-") ? -1 : 1)
                i = end
            }
        }
        // Checked arithmetic: Go's zero time (year 1) and 9999-12-31 are outside Int64 nanoseconds.
        guard
            let utc = CivilTime.checkedNanoseconds(
                year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59),
                nanosecond: nanos, offsetSeconds: offset)
        else { return nil }
        return (utc, i)
    }

    /// Interprets a number as epoch time, guessing the unit from its magnitude the way Vector and
    /// Loki do: below 10¹¹ seconds (fractions allowed), below 10¹⁴ milliseconds, below 10¹⁷
    /// microseconds, otherwise nanoseconds. `nil` when not finite or past what nanoseconds hold
    /// (the year 2262).
    public static func fromEpoch(_ value: Double) -> Int64? {
        guard value.isFinite else { return nil }
        let scale = epochScale(abs(value))
        // Whole units and the fraction apart: a recent epoch times its scale needs more precision
        // than a Double's 53 bits.
        let whole = value.rounded(.towardZero)
        guard abs(whole * Double(scale)) < 9.2e18 else { return nil }
        return Int64(whole) * scale + Int64(((value - whole) * Double(scale)).rounded())
    }

    /// Integer form of `fromEpoch(_:)`, exact for nanoseconds; `nil` past what nanoseconds hold.
    public static func fromEpoch(_ value: Int64) -> Int64? {
        let (nanos, overflow) = value.multipliedReportingOverflow(by: epochScale(value.magnitude))
        return overflow ? nil : nanos
    }

    /// Nanoseconds per unit of an epoch number of this magnitude.
    private static func epochScale(_ magnitude: Double) -> Int64 {
        magnitude < 1e11 ? 1_000_000_000 : magnitude < 1e14 ? 1_000_000 : magnitude < 1e17 ? 1_000 : 1
    }

    private static func epochScale(_ magnitude: UInt64) -> Int64 {
        magnitude < 100_000_000_000
            ? 1_000_000_000
            : magnitude < 100_000_000_000_000 ? 1_000_000 : magnitude < 100_000_000_000_000_000 ? 1_000 : 1
    }

    /// Parses an epoch number written as text (`1700000000`, `1700000000.25`, `1700000000123`).
    /// A decimal fraction is read exactly (up to nanoseconds; further digits are dropped).
    public static func parseEpoch(_ text: some StringProtocol) -> Int64? {
        if let integer = Int64(text) { return fromEpoch(integer) }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, let whole = Int64(parts[0]), !parts[1].isEmpty,
            parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let base = fromEpoch(whole)
        {
            var unit = epochScale(whole.magnitude)
            var fraction: Int64 = 0
            for digit in parts[1].utf8 where unit >= 10 {
                unit /= 10
                fraction += Int64(digit - 48) * unit
            }
            let (nanos, overflow) =
                parts[0].hasPrefix("-") ? base.subtractingReportingOverflow(fraction) : base.addingReportingOverflow(fraction)
            return overflow ? nil : nanos
        }
        guard let value = Double(String(text)) else { return nil }
        return fromEpoch(value)
    }

    /// Parses any timestamp a JSON or text source may carry: RFC 3339 first, then an epoch number.
    public static func parseAny(_ text: some StringProtocol) -> Int64? {
        parseRFC3339(text) ?? parseEpoch(text)
    }
}
