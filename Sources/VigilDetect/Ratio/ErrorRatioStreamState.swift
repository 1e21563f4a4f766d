/// The error-ratio detector's state for one stream: two counters for the open bucket, the scorer of
/// the error share, and the open anomaly. About 200 bytes plus up to `evidence` error records.
struct ErrorRatioStreamState: BucketedStreamState {
    /// Records in the open bucket.
    var total: Int32 = 0
    /// Error records in the open bucket.
    var errors: Int32 = 0
    /// Whether an anomaly is open.
    var isOpen = false
    /// Start of the open anomaly.
    var openedAt: Int64 = 0
    /// Errors during the open anomaly.
    var openErrors = 0
    /// The baseline's expected share after the last scored bucket.
    var expected = 0.0
    /// The score of the share of errors, and what it has learnt.
    var scorer: SeriesAnomalyScorer
    /// The first error records of the open bucket.
    var evidence: [Evidence] = []

    /// A new stream, scored with `parameters`.
    init(scorer parameters: SeriesScorerParameters) {
        scorer = SeriesAnomalyScorer(parameters: parameters)
    }

    /// An empty bucket teaches a share nothing; it is scored only while an anomaly is open.
    var needsEvaluation: Bool { total > 0 || isOpen }

    mutating func clearBucket() {
        total = 0
        errors = 0
        evidence.removeAll(keepingCapacity: true)
    }

    /// A ratio's baseline survives a gap in the input (the share of errors does not age).
    mutating func restart(at bucketStart: Int64) {}
}
