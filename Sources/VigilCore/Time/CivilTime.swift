/// Calendar arithmetic on the proleptic Gregorian calendar in UTC, without Foundation.
///
/// The algorithms are Howard Hinnant's `days_from_civil` / `civil_from_days`; they are exact
/// for every year a log record can carry and cost a handful of integer operations.
public enum CivilTime {
    public static let nanosPerSecond: Int64 = 1_000_000_000

    /// Days since 1970-01-01 for a calendar date.
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day count since 1970-01-01.
    @inlinable
    public static func date(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Nanoseconds since the epoch for a UTC wall-clock time.
    @inlinable
    public static func nanoseconds(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int = 0
    ) -> Int64 {
        let d = Int64(days(year: year, month: month, day: day))
        let s = d * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return s * nanosPerSecond + Int64(nanosecond)
    }

    /// `nanoseconds(year:month:day:hour:minute:second:nanosecond:)` for untrusted input, for a wall
    /// clock `offsetSeconds` ahead of UTC: `nil` when the time is outside what `Int64` nanoseconds
    /// hold (1677-09-21 to 2262-04-11) instead of trapping. Years are limited to 0…9999.
    public static func checkedNanoseconds(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int = 0,
        offsetSeconds: Int = 0
    ) -> Int64? {
        guard (0...9999).contains(year), (0..<nanosPerSecond).contains(Int64(nanosecond)),
            abs(offsetSeconds) <= 1_000_000_000
        else { return nil }
        var seconds = Int64(days(year: year, month: month, day: day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        var fraction = Int64(nanosecond)
        if seconds < 0, fraction > 0 {  // keep the product in range down to Int64.min
            seconds += 1
            fraction -= nanosPerSecond
        }
        guard case (let scaled, false) = seconds.multipliedReportingOverflow(by: nanosPerSecond),
            case (let total, false) = scaled.addingReportingOverflow(fraction)
        else { return nil }
        return total
    }

    /// Splits nanoseconds since the epoch into UTC calendar fields.
    public static func components(
        _ nanos: Int64
    ) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int) {
        var seconds = nanos / nanosPerSecond
        var fraction = nanos % nanosPerSecond
        if fraction < 0 {
            fraction += nanosPerSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let date = date(days: Int(days))
        let sod = Int(secondOfDay)
        return (date.year, date.month, date.day, sod / 3600, sod / 60 % 60, sod % 60, Int(fraction))
    }
}
