/// Fixed event-time buckets aligned to multiples of their width since the epoch (10 s buckets
/// start at :00, :10, …), shared by all streams of a detector.
struct BucketClock {
    /// The bucket width in ns.
    let width: Int64
    /// The start of the open bucket; `nil` before the first record.
    private(set) var start: Int64?

    /// A clock with buckets of `width` ns (at least 1).
    init(width: Int64) {
        self.width = max(1, width)
    }

    /// The start of the bucket holding `time`.
    func bucketStart(of time: Int64) -> Int64 {
        let remainder = time % width
        return remainder >= 0 ? time - remainder : time - remainder - width
    }

    /// Opens the first bucket at the one holding `time`, if none is open.
    @inline(__always)
    mutating func begin(at time: Int64) {
        if start == nil { start = bucketStart(of: time) }
    }

    /// If the open bucket ends at or before `time`, closes it and returns its start (the next
    /// bucket is then open).
    @inline(__always)
    mutating func close(before time: Int64) -> Int64? {
        guard let start, start &+ width <= time else { return nil }
        self.start = start &+ width
        return start
    }

    /// The number of buckets that would close before `time`.
    func closingCount(before time: Int64) -> Int64 {
        guard let start, time >= start else { return 0 }
        return (time - start) / width
    }

    /// Jumps to the bucket holding `time` without closing the ones in between.
    mutating func jump(to time: Int64) {
        start = bucketStart(of: time)
    }
}
