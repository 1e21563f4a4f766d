import Foundation

/// Nanoseconds since the epoch for a wall-clock time in `zone`, computed with Foundation's calendar
/// (independently of `CivilTime`), for expected values in time tests.
func nanos(
    _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
    nanosecond: Int64 = 0, zone: String = "UTC"
) -> Int64 {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: zone)!
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    let seconds = Int64(calendar.date(from: components)!.timeIntervalSince1970)
    return seconds * 1_000_000_000 + nanosecond
}
