/// The rate detector's state for one stream.
///
/// Memory: about 150 bytes of fixed state (slot, key, baseline, counters), plus the evidence of the
/// open bucket (up to `evidence` records of ~60 bytes, sharing the records' strings) and
/// `4 × historyLength` bytes with `median_mad`. `vigil-detect-bench` measures the whole cost per
/// stream key (bench/RESULTS.md).
struct RateStreamState: BucketedStreamState {
    /// Records in the open bucket.
    var count: Int32 = 0
    /// Consecutive closed buckets without records.
    var silentBuckets: Int32 = 0
    /// Open anomaly: 0 none, 1 spike, -1 drop.
    var anomaly: Int8 = 0
    /// Start of the bucket in which the stream was first seen.
    var firstSeen: Int64
    /// Start of the open anomaly.
    var anomalyStart: Int64 = 0
    /// Records during the open anomaly.
    var anomalyCount = 0
    /// The expected count per bucket when the current silence began.
    var expectedBeforeSilence = 0.0
    /// The learnt baseline of counts per bucket.
    var baseline = Baseline()
    /// The first records of the open bucket.
    var evidence: [Evidence] = []

    /// A new stream first seen in the bucket starting at `bucketStart`.
    init(firstSeen bucketStart: Int64) {
        firstSeen = bucketStart
    }

    /// Every bucket is scored, empty ones too: they are how a drop or a silence shows.
    var needsEvaluation: Bool { true }

    mutating func clearBucket() {
        count = 0
        evidence.removeAll(keepingCapacity: true)
    }

    mutating func restart(at bucketStart: Int64) {
        self = restarted(at: bucketStart)
    }

    /// This stream learning afresh from the bucket starting at `bucketStart` (after a long gap),
    /// keeping its open anomaly, if any, so that it still resolves: the fresh baseline scores the
    /// first bucket with records as normal, which ends a drop, and the first bucket closed ends a
    /// spike.
    func restarted(at bucketStart: Int64) -> RateStreamState {
        var fresh = RateStreamState(firstSeen: bucketStart)
        fresh.anomaly = anomaly
        fresh.anomalyStart = anomalyStart
        fresh.anomalyCount = anomalyCount
        return fresh
    }
}
