/// The rate detector's state for one stream.
///
/// Memory: about 200 bytes of fixed state (slot, key, scorer, counters) plus the scorer's `levels +
/// 2` words of novelty, the evidence of the open bucket (up to `evidence` records of ~60 bytes,
/// sharing the records' strings) and `4 × historyLength` bytes with `median_mad`. `vigil-detect-bench` measures the whole cost per
/// stream key (bench/RESULTS.md).
struct RateStreamState: BucketedStreamState {
    /// Records in the open bucket.
    var count: Int32 = 0
    /// Consecutive closed buckets without records.
    var silentBuckets: Int32 = 0
    /// Whether the stream's first bucket has closed: it is not scored, since the stream began
    /// somewhere inside it and its count is partial (it would anchor the baseline low).
    var pastFirstBucket = false
    /// Open anomaly: 0 none, 1 spike, -1 drop.
    var anomaly: Int8 = 0
    /// Start of the open anomaly.
    var anomalyStart: Int64 = 0
    /// Records during the open anomaly.
    var anomalyCount = 0
    /// The expected count per bucket when the current silence began.
    var expectedBeforeSilence = 0.0
    /// The score of counts per bucket, and what it has learnt.
    var scorer: SeriesAnomalyScorer
    /// The first records of the open bucket.
    var evidence: [Evidence] = []

    /// A new stream, scored with `parameters`.
    init(scorer parameters: SeriesScorerParameters) {
        scorer = SeriesAnomalyScorer(parameters: parameters)
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
    /// keeping its open anomaly, if any, so that it still resolves: the fresh scorer passes over
    /// the first (partial) bucket and scores the next as normal, which ends a drop or a spike.
    func restarted(at bucketStart: Int64) -> RateStreamState {
        var fresh = RateStreamState(scorer: scorer.parameters)
        fresh.anomaly = anomaly
        fresh.anomalyStart = anomalyStart
        fresh.anomalyCount = anomalyCount
        return fresh
    }
}
