import VigilCore

/// The error-ratio detector (see `ErrorRatioDetectorConfiguration`): per stream and bucket, the
/// share of error records scored by the stream's `SeriesAnomalyScorer` (the rate detector's).
///
/// The scale of the share's z-score is at least the binomial spread `√(p(1−p)/n)` (with `p` at
/// least 1 %), which keeps small buckets from looking significant. It opens when the alert score
/// reaches `open_threshold`, the share is above the expectation, the bucket has `min_errors` errors
/// and the share is `min_increase` above the expectation, and resolves when the score falls under
/// `close_threshold` or the excess under half of `min_increase`.
struct ErrorRatioDetector: BucketedDetector {
    /// The configuration.
    let configuration: ErrorRatioDetectorConfiguration
    /// The streams and the bucket clock.
    var buckets: BucketedStreams<ErrorRatioStreamState>
    private let explanationParameters: [GroupValue]

    /// Across a gap, one bucket is closed and the empty ones skipped (they teach a ratio nothing).
    static let bucketsClosedAcrossAGap: Int64 = 1

    /// A detector keeping at most `maxStreams` streams and `evidenceLimit` records of evidence.
    init(configuration: ErrorRatioDetectorConfiguration, maxStreams: Int, evidenceLimit: Int) {
        self.configuration = configuration
        buckets = BucketedStreams(
            groupBy: configuration.groupBy, bucket: configuration.bucket, maxStreams: maxStreams, evidenceLimit: evidenceLimit,
            make: { _ in ErrorRatioStreamState(scorer: configuration.scorer) })
        explanationParameters = configuration.explanationParameters
    }

    /// The bucket's error share against the expectation, the band of shares that would not have
    /// opened even as a new extreme (a share must also be `min_increase` above the expectation),
    /// and the score's two halves.
    private func explain(share: Double, expected: Double, score: SeriesScore) -> SignalExplanation {
        let width = configuration.scorer.bandHalfWidth(score)
        return SignalExplanation(
            measure: "error share per \(buckets.bucketText)", observed: share, expected: expected,
            lower: max(0, expected - width), upper: min(1, max(expected + width, expected + configuration.minimumIncrease)),
            parameters: explanationParameters + score.halves)
    }

    /// The streams.
    var streams: StreamTable<ErrorRatioStreamState> { buckets.streams }

    /// Counts `record` in its stream's open bucket.
    @inline(__always)
    mutating func process(_ record: LogRecord) {
        let slot = buckets.slot(for: record)
        buckets.streams.entries[slot].state.total &+= 1
        guard record.severity.isAtLeast(configuration.errorSeverity) else { return }
        buckets.streams.entries[slot].state.errors &+= 1
        buckets.keepEvidence(record, in: slot)
    }

    mutating func evaluate(
        _ state: inout ErrorRatioStreamState, slot: Int, bucketStart: Int64, end: Int64, into output: inout SignalOutput
    ) {
        let configuration = configuration
        let total = Int(state.total), errors = Int(state.errors)
        if state.isOpen { state.openErrors += errors }
        guard total >= configuration.minimumRecords else { return }
        let share = Double(errors) / Double(total)
        let p = min(max(state.expected, 0.01), 0.99)
        let binomial = (p * (1 - p) / Double(total)).squareRoot()
        let score = state.scorer.observe(share, at: bucketStart, minimumScale: binomial)
        let expected = score.reading?.expected ?? share
        state.expected = expected
        let excess = share - expected
        let values = buckets.streams.entries[slot].values
        let name = RateDetector.describe(values)
        if !state.isOpen {
            guard score.alertScore >= configuration.scorer.openThreshold, excess > 0, errors >= configuration.minimumErrors,
                excess >= configuration.minimumIncrease
            else { return }
            state.isOpen = true
            state.openedAt = bucketStart
            state.openErrors = errors
            let title = "\(name): \(Self.percent(share)) of records are errors (\(errors) of \(total) in \(buckets.bucketText)), usually \(Self.percent(expected))"
            output.emit(
                Signal(
                    detector: .errorRatio, name: "error_ratio", key: values, severity: configuration.severity,
                    title: title, start: bucketStart, end: end, count: errors, score: score.score, status: .firing,
                    evidence: state.evidence, explanation: explain(share: share, expected: expected, score: score)),
                dueAt: end)
        } else if score.score < configuration.scorer.closeThreshold || excess < configuration.minimumIncrease / 2 {
            state.isOpen = false
            let title = "\(name): error share back to \(Self.percent(share)) (usually \(Self.percent(expected)))"
            output.emit(
                Signal(
                    detector: .errorRatio, name: "error_ratio", key: values, severity: configuration.severity,
                    title: title, start: state.openedAt, end: end, count: state.openErrors, score: score.score,
                    status: .resolved, explanation: explain(share: share, expected: expected, score: score)),
                dueAt: end)
        }
    }

    /// `0.1234` as `12.3%`.
    static func percent(_ share: Double) -> String {
        String((max(0, share) * 1000).rounded() / 10) + "%"
    }
}
