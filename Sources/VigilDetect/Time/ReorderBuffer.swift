import VigilCore

/// Puts records back in event-time order behind a watermark.
///
/// The watermark is the largest event time seen minus the allowed lateness. A record older than
/// the watermark when it arrives is late: it is refused (and counted by the caller). Every other
/// record waits here until the watermark passes it, and records come out in event-time order
/// (`precedes(_:_:)`), so the detectors downstream see the same sequence whether the input was sorted
/// or shuffled within the lateness.
///
/// Records that arrive in order (the usual case) go to a FIFO queue in O(1); only out-of-order ones
/// go to a heap. The buffer holds at most `capacity` records: past that the watermark is pushed
/// forward to release the oldest one (a *forced release*, counted), so memory does not grow with
/// the input rate times the lateness.
///
/// Each record carries a `tag` (the pipeline's bit set of the rules it matched on admission), so
/// the work done on a record when it arrives is not repeated when it is released.
struct ReorderBuffer {
    /// A record in the heap with its tag.
    struct Held {
        var record: LogRecord
        var tag: UInt64
    }

    /// The allowed lateness in ns.
    let lateness: Int64
    /// The most records held.
    let capacity: Int
    /// The in-order queue: a ring of records (power-of-two capacity) with their times and tags
    /// alongside, so comparisons do not copy records; records are moved in and out with `swap`.
    private var ring: [LogRecord] = []
    private var ringTimes: [Int64] = []
    private var ringTags: [UInt64] = []
    private var ringHead = 0
    private var ringCount = 0
    private var heap = Heap<Held> { ReorderBuffer.precedes($0.record, $1.record) }
    /// The largest event time seen (or advanced to), `Int64.min` before any.
    private(set) var maxSeen: Int64 = .min
    /// Records older than this are late; every held record is at or after it.
    private(set) var watermark: Int64 = .min
    /// Records released early because the buffer was full.
    private(set) var forcedReleases = 0

    /// An empty buffer.
    init(lateness: Int64, capacity: Int) {
        self.lateness = lateness
        self.capacity = max(1, capacity)
    }

    /// The number of records held.
    var count: Int { ringCount + heap.count }

    private static let placeholder = LogRecord(time: 0, message: "")

    /// The total order records are released in: event time, then (for equal times, so that the
    /// order does not depend on arrival) message, service, host and severity.
    @inline(__always)
    static func precedes(_ a: LogRecord, _ b: LogRecord) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.message != b.message { return a.message < b.message }
        if a.service != b.service { return a.service < b.service }
        if a.host != b.host { return a.host < b.host }
        return a.severity.rawValue < b.severity.rawValue
    }

    /// Adds `record` with `tag`, or returns `false` when it is late (older than the watermark).
    @inline(__always)
    mutating func insert(_ record: LogRecord, tag: UInt64 = 0) -> Bool {
        guard record.time >= watermark else { return false }
        if ringCount > 0, ringOutOfOrder(record) {
            pushHeap(record, tag: tag)
        } else {
            appendToRing(record, tag: tag)
        }
        if record.time > maxSeen { advance(to: record.time) }
        if count > capacity, let oldest = earliestTime {
            watermark = max(watermark, oldest &+ 1)
            forcedReleases += 1
        }
        return true
    }

    /// Declares that event time has reached `time` (the largest seen becomes at least `time`), moving
    /// the watermark to `time - lateness` if that is later.
    mutating func advance(to time: Int64) {
        maxSeen = max(maxSeen, time)
        let (candidate, overflow) = maxSeen.subtractingReportingOverflow(lateness)
        if !overflow, candidate > watermark { watermark = candidate }
    }

    /// Moves the watermark past every held record (for `flush()`): just after the largest time seen.
    mutating func releaseAll() {
        if maxSeen > .min, maxSeen < .max { watermark = max(watermark, maxSeen + 1) }
    }

    /// Removes and returns the earliest record if it is older than the watermark, setting `tag` to
    /// its tag. (The tag is an `inout` rather than part of the result so that the record is moved
    /// out, not copied.)
    @inline(__always)
    mutating func popReleasable(tag: inout UInt64) -> LogRecord? {
        if heap.isEmpty {
            guard ringCount > 0, ringTimes[ringHead] < watermark else { return nil }
            return removeFromRing(tag: &tag)
        }
        let top = heap.first!.record
        if ringCount > 0, !Self.precedes(top, ring[ringHead]) {
            guard ringTimes[ringHead] < watermark else { return nil }
            return removeFromRing(tag: &tag)
        }
        guard top.time < watermark else { return nil }
        return popHeap(tag: &tag)
    }

    /// The earliest held event time.
    private var earliestTime: Int64? {
        let ringFirst = ringCount > 0 ? ringTimes[ringHead] : nil
        guard let top = heap.first?.record.time else { return ringFirst }
        return min(top, ringFirst ?? top)
    }

    /// Whether `record` sorts before the ring's last record (so it must go to the heap).
    @inline(__always)
    private func ringOutOfOrder(_ record: LogRecord) -> Bool {
        let last = (ringHead + ringCount - 1) & (ring.count - 1)
        let lastTime = ringTimes[last]
        if record.time != lastTime { return record.time < lastTime }
        return Self.precedes(record, ring[last])
    }

    @inline(__always)
    private mutating func appendToRing(_ record: LogRecord, tag: UInt64) {
        if ringCount == ring.count { growRing() }
        let slot = (ringHead + ringCount) & (ring.count - 1)
        var moved = record
        swap(&moved, &ring[slot])
        ringTimes[slot] = record.time
        ringTags[slot] = tag
        ringCount += 1
    }

    @inline(__always)
    private mutating func removeFromRing(tag: inout UInt64) -> LogRecord {
        var record = Self.placeholder
        swap(&record, &ring[ringHead])
        tag = ringTags[ringHead]
        ringHead = (ringHead + 1) & (ring.count - 1)
        ringCount -= 1
        return record
    }

    private mutating func growRing() {
        let capacity = max(64, ring.count * 2)
        var grown = [LogRecord](repeating: Self.placeholder, count: capacity)
        var times = [Int64](repeating: 0, count: capacity)
        var tags = [UInt64](repeating: 0, count: capacity)
        for offset in 0..<ringCount {
            let slot = (ringHead + offset) & (ring.count - 1)
            swap(&grown[offset], &ring[slot])
            times[offset] = ringTimes[slot]
            tags[offset] = ringTags[slot]
        }
        ring = grown
        ringTimes = times
        ringTags = tags
        ringHead = 0
    }

    /// Replaces every held record's tag with `transform(tag)` (the rules were reconfigured and
    /// their bits moved).
    mutating func retag(_ transform: (UInt64) -> UInt64) {
        for offset in 0..<ringCount {
            let slot = (ringHead + offset) & (ring.count - 1)
            ringTags[slot] = transform(ringTags[slot])
        }
        heap.updateEach { $0.tag = transform($0.tag) }
    }

    private mutating func pushHeap(_ record: LogRecord, tag: UInt64) {
        heap.push(Held(record: record, tag: tag))
    }

    private mutating func popHeap(tag: inout UInt64) -> LogRecord {
        let held = heap.pop()!
        tag = held.tag
        return held.record
    }
}
