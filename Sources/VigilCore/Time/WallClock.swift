import Foundation

/// The host's wall clock as every record time is kept: nanoseconds since the Unix epoch (UTC).
public enum WallClock {
    /// Now, in nanoseconds since the epoch.
    public static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
