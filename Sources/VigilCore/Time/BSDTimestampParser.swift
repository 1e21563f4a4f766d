import Foundation

/// Parses the RFC 3164 (BSD syslog) timestamp `Mmm dd hh:mm:ss`, which has neither a year nor a zone.
///
/// The zone is configured (the sender's local zone, UTC by default). The year is inferred from the
/// receive time: of the previous, current and next year, the one that puts the message closest to the
/// moment it arrived — so a `Dec 31 23:59:59` received on 1 January belongs to last year (the rollover
/// bug rsyslog users know), and a `Jan  1` received on 31 December to next year.
///
/// A parser caches the zone's offset per hour; give each thread or task its own.
public struct BSDTimestampParser: Sendable {
    /// The zone the sender's wall-clock times are in.
    public let timeZone: TimeZone
    private var cachedHour: Int64 = .min
    private var cachedOffset: Int64 = 0

    /// The offset of a zone without rules (UTC, GMT, `GMT+0200`), which needs no lookup per hour.
    private let fixedOffset: Int64?

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.timeZone = timeZone
        let ruleless = timeZone.identifier == "UTC" || timeZone.identifier.hasPrefix("GMT")
        fixedOffset = ruleless ? Int64(timeZone.secondsFromGMT()) : nil
    }

    private static let months: [UInt32] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ].map { name in name.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1 | 0x20) } }

    /// Parses a timestamp at the start of `b`. Accepts a space-padded or zero-padded day, an optional
    /// fraction after the seconds, and an optional year after the day (`Mmm dd yyyy hh:mm:ss`, as
    /// some network devices send). Returns the time and the bytes consumed.
    public mutating func parse(_ b: UnsafeBufferPointer<UInt8>, reference: Int64) -> (nanos: Int64, length: Int)? {
        guard b.count >= 15 else { return nil }
        let key = (UInt32(b[0] | 0x20) << 16) | (UInt32(b[1] | 0x20) << 8) | UInt32(b[2] | 0x20)
        guard let monthIndex = Self.months.firstIndex(of: key), b[3] == UInt8(ascii: " ") else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let c = b[i]
            return c >= 48 && c <= 57 ? Int(c - 48) : nil
        }
        let dayTens = b[4] == UInt8(ascii: " ") ? 0 : digit(4)
        guard let dayTens, let dayOnes = digit(5), b[6] == UInt8(ascii: " ") else { return nil }
        let day = dayTens * 10 + dayOnes
        var i = 7
        var explicitYear: Int?
        if b.count >= 20, let y0 = digit(7), let y1 = digit(8), let y2 = digit(9), let y3 = digit(10),
            b[11] == UInt8(ascii: " ")
        {
            explicitYear = y0 * 1000 + y1 * 100 + y2 * 10 + y3
            i = 12
        }
        guard b.count >= i + 8, let h0 = digit(i), let h1 = digit(i + 1), b[i + 2] == UInt8(ascii: ":"),
            let m0 = digit(i + 3), let m1 = digit(i + 4), b[i + 5] == UInt8(ascii: ":"), let s0 = digit(i + 6),
            let s1 = digit(i + 7)
        else { return nil }
        let hour = h0 * 10 + h1
        let minute = m0 * 10 + m1
        let second = s0 * 10 + s1
        guard (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        i += 8
        var nanos = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            var j = i + 1
            var digits = 0
            while j < b.count, let d = digit(j) {
                if digits < 9 {
                    nanos = nanos * 10 + d
                    digits += 1
                }
                j += 1
            }
            if digits > 0 {
                for _ in digits..<9 { nanos *= 10 }
                i = j
            }
        }
        let month = monthIndex + 1
        func wallClock(_ year: Int) -> Int64? {
            CivilTime.checkedNanoseconds(
                year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59),
                nanosecond: nanos)
        }
        let localReference = reference + offset(at: reference) * CivilTime.nanosPerSecond
        let found: Int64?
        if let explicitYear {
            found = wallClock(explicitYear)
        } else {
            let year = CivilTime.components(localReference).year
            var closest: Int64?
            for candidate in ((year - 1)...(year + 1)).lazy.compactMap(wallClock)
            where closest.map({ abs(candidate - localReference) < abs($0 - localReference) }) ?? true {
                closest = candidate
            }
            found = closest
        }
        guard let candidate = found,
            case (let result, false) = candidate.subtractingReportingOverflow(offset(at: candidate) * CivilTime.nanosPerSecond)
        else { return nil }
        return (result, i)
    }

    /// The zone's offset from UTC in seconds at (about) `nanos`, cached per hour; constant for UTC
    /// and fixed-offset zones (`GMT+0200`), whatever the hour.
    private mutating func offset(at nanos: Int64) -> Int64 {
        if let fixedOffset { return fixedOffset }
        let hour = nanos / (3600 * CivilTime.nanosPerSecond)
        if hour != cachedHour {
            cachedHour = hour
            let date = Date(timeIntervalSince1970: Double(nanos) / 1e9)
            cachedOffset = Int64(timeZone.secondsFromGMT(for: date))
        }
        return cachedOffset
    }
}
