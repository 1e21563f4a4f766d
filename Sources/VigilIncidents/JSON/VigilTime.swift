import VigilCore

/// The one way incidents write times as text: RFC 3339 in UTC with nanoseconds, so a time read
/// back is the same number.
enum VigilTime {
    static func rfc3339(_ nanos: Int64) -> String {
        TimeFormatter.rfc3339(nanos, fractionDigits: 9)
    }
}
