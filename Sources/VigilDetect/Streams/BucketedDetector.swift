import VigilCore

/// What a bucketed detector keeps per stream: the counts of the open bucket, its evidence, and
/// whatever the detector learns across buckets.
protocol BucketedStreamState {
    /// The first records of the open bucket that the signal would show.
    var evidence: [Evidence] { get set }
    /// Whether a closing bucket is scored for this stream (the error ratio skips empty buckets
    /// unless an anomaly is open; the rate scores every bucket, empty ones included).
    var needsEvaluation: Bool { get }
    /// Clears the open bucket's counts once it has been scored.
    mutating func clearBucket()
    /// Learns afresh from the bucket starting at `bucketStart`, after a gap in the whole input.
    mutating func restart(at bucketStart: Int64)
}

/// The part the rate and error-ratio detectors share: streams keyed by their group values, an
/// event-time bucket clock, evidence up to a limit, and closing buckets as event time passes.
struct BucketedStreams<State: BucketedStreamState> {
    let groupBy: GroupBy
    let evidenceLimit: Int
    /// The bucket width for titles (`1m`).
    let bucketText: String
    /// The streams.
    var streams: StreamTable<State>
    var clock: BucketClock
    /// A new stream's state, first seen in the bucket starting at the argument.
    let make: @Sendable (Int64) -> State

    init(groupBy: GroupBy, bucket: Int64, maxStreams: Int, evidenceLimit: Int, make: @escaping @Sendable (Int64) -> State) {
        self.make = make
        self.groupBy = groupBy
        self.evidenceLimit = evidenceLimit
        bucketText = DurationParser.format(bucket)
        streams = StreamTable(capacity: maxStreams)
        clock = BucketClock(width: bucket)
    }

    /// When the open bucket closes.
    var nextDeadline: Int64 { clock.start.map { $0 &+ clock.width } ?? .max }

    /// The slot of `record`'s stream in the open bucket (made when new).
    @inline(__always)
    mutating func slot(for record: LogRecord) -> Int {
        clock.begin(at: record.time)
        let groupBy = groupBy
        let bucketStart = clock.start!
        let make = make
        return streams.slot(
            for: groupBy.key(of: record), at: record.time, values: { groupBy.values(of: record) },
            make: { make(bucketStart) })
    }

    /// Keeps `record` as evidence of the stream in `slot`, up to the limit.
    @inline(__always)
    mutating func keepEvidence(_ record: LogRecord, in slot: Int) {
        if streams.entries[slot].state.evidence.count < evidenceLimit {
            streams.entries[slot].state.evidence.append(Evidence(record))
        }
    }
}

/// A detector over `BucketedStreams`: it scores each stream's bucket as it closes.
protocol BucketedDetector {
    associatedtype State: BucketedStreamState
    var buckets: BucketedStreams<State> { get set }
    /// Buckets closed one by one across a gap in the whole input; past them the clock jumps and
    /// every stream restarts, so the work stays bounded however far event time moves.
    static var bucketsClosedAcrossAGap: Int64 { get }
    /// Scores the closed bucket `[bucketStart, end)` of the stream in `slot`, emitting signals.
    mutating func evaluate(_ state: inout State, slot: Int, bucketStart: Int64, end: Int64, into output: inout SignalOutput)
}

/// After this many buckets to close at once (a gap in the whole input), a detector stops closing
/// them one by one: the rest teach nothing but slow the catch-up.
let bucketCatchUpLimit: Int64 = 360

extension BucketedDetector {
    /// When the open bucket closes.
    var nextDeadline: Int64 { buckets.nextDeadline }

    /// Closes the buckets that end at or before `time`. Across a gap of more than
    /// `bucketCatchUpLimit` buckets, only the first `bucketsClosedAcrossAGap` are closed (the
    /// rate's long enough for a silence to be noticed), then the clock jumps and the streams
    /// restart (a record stamped years ahead, the first clock tick after replaying old records).
    mutating func advance(to time: Int64, into output: inout SignalOutput) {
        if buckets.clock.closingCount(before: time) > bucketCatchUpLimit {
            for _ in 0..<Self.bucketsClosedAcrossAGap {
                guard let start = buckets.clock.close(before: time) else { break }
                closeBucket(start: start, into: &output)
            }
            buckets.clock.jump(to: time)
            let restart = buckets.clock.start!
            for slot in buckets.streams.entries.indices where buckets.streams.entries[slot].isLive {
                buckets.streams.entries[slot].state.restart(at: restart)
            }
            return
        }
        while let start = buckets.clock.close(before: time) { closeBucket(start: start, into: &output) }
    }

    private mutating func closeBucket(start: Int64, into output: inout SignalOutput) {
        let end = start &+ buckets.clock.width
        for slot in buckets.streams.entries.indices where buckets.streams.entries[slot].isLive {
            guard buckets.streams.entries[slot].state.needsEvaluation else { continue }
            var state = buckets.streams.entries[slot].state
            buckets.streams.entries[slot].state.evidence = []
            evaluate(&state, slot: slot, bucketStart: start, end: end, into: &output)
            state.clearBucket()
            buckets.streams.entries[slot].state = state
        }
    }
}
