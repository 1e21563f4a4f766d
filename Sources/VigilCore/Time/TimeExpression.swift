import Foundation

/// The time expressions `vigil query --since/--until` accept, as journalctl does:
/// RFC 3339 (`2026-11-23T09:00:00Z`), `YYYY-MM-DD [HH:MM[:SS]]` in the local zone, relative times
/// (`-1h`, `-15m`, `-2d`, `+30s`, also `1h ago`), `now`, `today`, `yesterday` and `tomorrow`
/// (midnight, local zone), and epoch seconds prefixed with `@` (`@1700000000`).
public enum TimeExpression {
    /// Parses `text` relative to `now` (nanoseconds since the epoch) in `timeZone`.
    public static func parse(_ text: String, now: Int64, timeZone: TimeZone) -> Int64? {
        parse(text, now: now, zone: .zone(timeZone))
    }

    /// Parses `text` relative to `now` (nanoseconds since the epoch), local times in `zone`.
    public static func parse(_ text: String, now: Int64, zone: ZoneOffsets = .system) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        switch lowered {
        case "now": return now
        case "today": return midnight(now, dayOffset: 0, zone: zone)
        case "yesterday": return midnight(now, dayOffset: -1, zone: zone)
        case "tomorrow": return midnight(now, dayOffset: 1, zone: zone)
        default: break
        }
        if lowered.hasPrefix("@") { return epochSeconds(lowered.dropFirst()) }
        if let first = lowered.first, first == "-" || first == "+" {
            guard let span = DurationParser.parse(String(lowered.dropFirst())) else { return nil }
            let (time, overflow) = first == "-" ? now.subtractingReportingOverflow(span) : now.addingReportingOverflow(span)
            return overflow ? nil : time
        }
        if lowered.hasSuffix(" ago"), let span = DurationParser.parse(String(lowered.dropLast(4))) {
            let (time, overflow) = now.subtractingReportingOverflow(span)
            return overflow ? nil : time
        }
        if hasOffset(trimmed), let zoned = TimestampParser.parseRFC3339(trimmed) {
            return zoned
        }
        return localDateTime(trimmed, zone: zone)
    }

    /// `@` epoch seconds, fractions allowed; `nil` when they do not fit in nanoseconds.
    private static func epochSeconds(_ text: Substring) -> Int64? {
        guard let seconds = Double(text), seconds.isFinite, abs(seconds) < 9.2e9 else { return nil }
        let whole = seconds.rounded(.towardZero)
        return Int64(whole) * CivilTime.nanosPerSecond + Int64(((seconds - whole) * 1e9).rounded())
    }

    private static func hasOffset(_ text: String) -> Bool {
        guard text.count > 19 else { return false }
        let tail = text.dropFirst(19)
        return tail.contains("Z") || tail.contains("z") || tail.contains("+") || tail.contains("-")
    }

    /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS` (also with `T`) in the local zone.
    private static func localDateTime(_ text: String, zone: ZoneOffsets) -> Int64? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard (1...2).contains(parts.count) else { return nil }
        let date = parts[0].split(separator: "-")
        guard date.count == 3, date[0].count == 4, let year = Int(date[0]), let month = Int(date[1]),
            let day = Int(date[2]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":")
            guard (2...3).contains(clock.count), let h = Int(clock[0]), let m = Int(clock[1]), (0..<24).contains(h), (0..<60).contains(m) else {
                return nil
            }
            hour = h
            minute = m
            if clock.count == 3 {
                guard let s = Int(clock[2]), (0..<61).contains(s) else { return nil }
                second = s
            }
        }
        guard
            let wall = CivilTime.checkedNanoseconds(
                year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59)),
            case (let time, false) = wall.subtractingReportingOverflow(localOffset(atWallClock: wall, zone: zone))
        else { return nil }
        return time
    }

    /// Local midnight `dayOffset` days from `now`'s day; `nil` when that is outside what
    /// nanoseconds since the epoch hold.
    private static func midnight(_ now: Int64, dayOffset: Int, zone: ZoneOffsets) -> Int64? {
        let offset = Int64(zone.secondsEastOfUTC(atEpochSeconds: seconds(now)))
        guard case (let localNow, false) = now.addingReportingOverflow(offset * CivilTime.nanosPerSecond) else { return nil }
        let local = CivilTime.components(localNow)
        let days = CivilTime.days(year: local.year, month: local.month, day: local.day) + dayOffset
        guard case (let wall, false) = Int64(days).multipliedReportingOverflow(by: 86_400 * CivilTime.nanosPerSecond),
            case (let time, false) = wall.subtractingReportingOverflow(localOffset(atWallClock: wall, zone: zone))
        else { return nil }
        return time
    }

    /// The zone offset (in nanoseconds) in force at a local wall-clock time.
    private static func localOffset(atWallClock wall: Int64, zone: ZoneOffsets) -> Int64 {
        let guess = seconds(wall)
        let first = Int64(zone.secondsEastOfUTC(atEpochSeconds: guess))
        let corrected = Int64(zone.secondsEastOfUTC(atEpochSeconds: guess &- first))
        return corrected * CivilTime.nanosPerSecond
    }

    /// Whole seconds since the epoch at `nanos`, rounded down.
    private static func seconds(_ nanos: Int64) -> Int64 {
        let (quotient, remainder) = nanos.quotientAndRemainder(dividingBy: CivilTime.nanosPerSecond)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
