/// Formats event times for output.
public enum TimeFormatter {
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    @inline(__always)
    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// RFC 3339 with a fixed number of fraction digits (0, 3, 6 or 9) and the given UTC offset in
    /// seconds (`Z` when zero): `2026-11-23T09:17:15.123456Z`.
    public static func rfc3339(_ nanos: Int64, fractionDigits: Int = 6, offsetSeconds: Int = 0) -> String {
        let c = CivilTime.components(nanos + Int64(offsetSeconds) * CivilTime.nanosPerSecond)
        var out = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
        if fractionDigits > 0 {
            var fraction = c.nanosecond
            for _ in fractionDigits..<9 { fraction /= 10 }
            out += "." + pad(fraction, fractionDigits)
        }
        if offsetSeconds == 0 {
            out += "Z"
        } else {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let magnitude = abs(offsetSeconds)
            out += "\(sign)\(pad(magnitude / 3600, 2)):\(pad(magnitude / 60 % 60, 2))"
        }
        return out
    }

    /// The classic syslog form journalctl's `short` output uses: `Nov 23 09:17:15`.
    public static func short(_ nanos: Int64, offsetSeconds: Int = 0) -> String {
        let c = CivilTime.components(nanos + Int64(offsetSeconds) * CivilTime.nanosPerSecond)
        return "\(monthNames[c.month - 1]) \(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
    }
}
