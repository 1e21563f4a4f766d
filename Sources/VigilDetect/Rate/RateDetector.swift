import VigilCore

/// The rate detector (see `RateDetectorConfiguration`): counts records per stream in event-time
/// buckets and, as each bucket closes, scores the count with the stream's `SeriesAnomalyScorer`
/// (the scorer `vigil detect-series` runs, so its per-row scores are the daemon's). A stream's
/// first bucket is not scored: the stream began inside it, so its count is partial.
///
/// A bucket whose alert score (`SeriesScore.alertScore`: after the warm-up, outside the rest
/// period) reaches `open_threshold` opens a spike when the count is above the expectation and at
/// least `min_count`, or a drop when it is below and at least `min_count` records were expected; a
/// stream silent for `silence` while at least `min_count` were expected is a drop too. An open spike
/// resolves once the score falls under `close_threshold` or the count is back at or below the
/// expectation; a drop once records are back and the score is under `close_threshold` or the count
/// at or above the expectation.
struct RateDetector: BucketedDetector {
    /// The configuration.
    let configuration: RateDetectorConfiguration
    private let silenceBuckets: Int32
    private let explanationParameters: [GroupValue]
    /// The streams and the bucket clock.
    var buckets: BucketedStreams<RateStreamState>

    /// Across a gap, enough buckets are closed for a silence to be noticed.
    static let bucketsClosedAcrossAGap = bucketCatchUpLimit

    /// A detector keeping at most `maxStreams` streams and `evidenceLimit` records of evidence.
    init(configuration: RateDetectorConfiguration, maxStreams: Int, evidenceLimit: Int) {
        self.configuration = configuration
        silenceBuckets = configuration.silence > 0
            ? Int32(clamping: (configuration.silence + configuration.bucket - 1) / configuration.bucket) : 0
        buckets = BucketedStreams(
            groupBy: configuration.groupBy, bucket: configuration.bucket, maxStreams: maxStreams, evidenceLimit: evidenceLimit,
            make: { _ in RateStreamState(scorer: configuration.scorer) })
        explanationParameters = configuration.explanationParameters
    }

    /// The bucket's count against the expectation, the band of counts that would not have opened
    /// even as a new extreme, and the score's two halves.
    private func explain(count: Int, expected: Double, score: SeriesScore) -> SignalExplanation {
        let width = configuration.scorer.bandHalfWidth(score)
        return SignalExplanation(
            measure: "records per \(buckets.bucketText)", observed: Double(count), expected: expected,
            lower: max(0, expected - width), upper: expected + width, parameters: explanationParameters + score.halves)
    }

    /// The streams.
    var streams: StreamTable<RateStreamState> { buckets.streams }

    /// Counts `record` in its stream's open bucket.
    @inline(__always)
    mutating func process(_ record: LogRecord) {
        let slot = buckets.slot(for: record)
        buckets.streams.entries[slot].state.count &+= 1
        buckets.keepEvidence(record, in: slot)
    }

    mutating func evaluate(
        _ state: inout RateStreamState, slot: Int, bucketStart: Int64, end: Int64, into output: inout SignalOutput
    ) {
        let configuration = configuration
        let count = Int(state.count)
        guard state.pastFirstBucket else {
            state.pastFirstBucket = true
            if state.anomaly != 0 { state.anomalyCount += count }
            return
        }
        let score = state.scorer.observe(Double(count), at: bucketStart)
        let expected = score.reading?.expected ?? Double(count)
        if count > 0 {
            state.silentBuckets = 0
        } else {
            if state.silentBuckets == 0 { state.expectedBeforeSilence = expected }
            state.silentBuckets &+= 1
        }
        let floor = Double(configuration.minimumCount)
        let close = configuration.scorer.closeThreshold
        switch state.anomaly {
        case 0:
            guard score.warm else { return }
            let alert = score.alertScore >= configuration.scorer.openThreshold
            if configuration.spikes, alert, Double(count) > expected, Double(count) >= floor {
                open(&state, direction: 1, slot: slot, start: bucketStart, end: end, score: score, into: &output)
            } else if configuration.drops, alert, Double(count) < expected, expected >= floor {
                open(&state, direction: -1, slot: slot, start: bucketStart, end: end, score: score, into: &output)
            } else if configuration.drops, silenceBuckets > 0, state.silentBuckets >= silenceBuckets,
                state.expectedBeforeSilence >= floor
            {
                open(&state, direction: -1, slot: slot, start: bucketStart, end: end, score: score, into: &output)
            }
        case 1:
            state.anomalyCount += count
            if score.score < close || Double(count) <= expected {
                resolve(&state, slot: slot, end: end, score: score, into: &output)
            }
        default:
            state.anomalyCount += count
            if count > 0, score.score < close || Double(count) >= expected {
                resolve(&state, slot: slot, end: end, score: score, into: &output)
            }
        }
    }

    private func open(
        _ state: inout RateStreamState, direction: Int8, slot: Int, start: Int64, end: Int64,
        score: SeriesScore, into output: inout SignalOutput
    ) {
        state.anomaly = direction
        state.anomalyStart = start
        state.anomalyCount = Int(state.count)
        let values = buckets.streams.entries[slot].values
        let name = Self.describe(values)
        let expectedCount = direction < 0 && state.count == 0 ? state.expectedBeforeSilence : score.reading?.expected ?? 0
        let expected = Self.format(expectedCount)
        let title: String
        if direction > 0 {
            title = "\(name): rate spike: \(state.count) records in \(buckets.bucketText), expected about \(expected)"
        } else if state.count == 0 {
            let silent = DurationParser.format(Int64(state.silentBuckets) &* buckets.clock.width)
            title = "\(name): went silent: no records for \(silent), expected about \(expected) per \(buckets.bucketText)"
        } else {
            title = "\(name): rate drop: \(state.count) records in \(buckets.bucketText), expected about \(expected)"
        }
        output.emit(
            Signal(
                detector: .rate, name: direction > 0 ? "rate.spike" : "rate.drop", key: values,
                severity: configuration.severity, title: title, start: start, end: end, count: Int(state.count),
                score: score.score, status: .firing, evidence: direction > 0 ? state.evidence : [],
                explanation: explain(count: Int(state.count), expected: expectedCount, score: score)),
            dueAt: end)
    }

    private func resolve(
        _ state: inout RateStreamState, slot: Int, end: Int64, score: SeriesScore, into output: inout SignalOutput
    ) {
        let spike = state.anomaly > 0
        state.anomaly = 0
        let values = buckets.streams.entries[slot].values
        let title = "\(Self.describe(values)): rate \(spike ? "spike" : "drop") over: \(state.count) records in \(buckets.bucketText)"
        output.emit(
            Signal(
                detector: .rate, name: spike ? "rate.spike" : "rate.drop", key: values, severity: configuration.severity,
                title: title, start: state.anomalyStart, end: end, count: state.anomalyCount, score: score.score,
                status: .resolved,
                explanation: explain(count: Int(state.count), expected: score.reading?.expected ?? 0, score: score)),
            dueAt: end)
    }

    /// The group values for titles: `api`, `api, web-01`, or `all records` for an empty key.
    static func describe(_ values: [GroupValue]) -> String {
        values.isEmpty ? "all records" : values.map(\.value).joined(separator: ", ")
    }

    /// A count for titles: whole numbers below 100 keep one decimal (`3.5`), larger ones none.
    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }
}
