import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a local time's offset from UTC comes from, for printing and reading local times.
///
/// `.system` asks the C library, which reads `TZ` and then `/etc/localtime` as journalctl does.
/// Foundation's `TimeZone.current` finds the same zone, but loads ICU's zone data first: a cost
/// that every short `vigil query` paid at start-up.
public enum ZoneOffsets: Sendable {
    /// The system's local zone, as the C library reads it.
    case system
    /// UTC.
    case utc
    /// A named zone and its rules.
    case zone(TimeZone)

    /// Seconds east of UTC in force at `epochSeconds` (seconds since the Unix epoch).
    public func secondsEastOfUTC(atEpochSeconds epochSeconds: Int64) -> Int {
        switch self {
        case .utc:
            return 0
        case .zone(let zone):
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(epochSeconds)))
        case .system:
            var time = time_t(clamping: epochSeconds)
            var parts = tm()
            guard localtime_r(&time, &parts) != nil else { return 0 }
            return Int(parts.tm_gmtoff)
        }
    }
}
