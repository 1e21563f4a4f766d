import VigilCore

/// The rate detector (see `RateDetectorConfiguration`): counts records per stream in event-time
/// buckets and, as each bucket closes, scores the count against the stream's baseline.
///
/// A spike opens when the score reaches `open_threshold` and the count is at least `min_count`; a
/// drop when the score reaches `-open_threshold` (or the stream has been silent for `silence`) and
/// at least `min_count` records were expected. An open spike resolves once the score falls under
/// `close_threshold`, a drop once records are back and the score is above `-close_threshold`.
struct RateDetector: BucketedDetector {
    /// The configuration.
    let configuration: RateDetectorConfiguration
    private let silenceBuckets: Int32
    private let explanationParameters: [GroupValue]
    /// The streams and the bucket clock.
    var buckets: BucketedStreams<RateStreamState>
    private var scratch: [Double] = []

    /// Across a gap, enough buckets are closed for a silence to be noticed.
    static let bucketsClosedAcrossAGap = bucketCatchUpLimit

    /// A detector keeping at most `maxStreams` streams and `evidenceLimit` records of evidence.
    init(configuration: RateDetectorConfiguration, maxStreams: Int, evidenceLimit: Int) {
        self.configuration = configuration
        silenceBuckets = configuration.silence > 0
            ? Int32(clamping: (configuration.silence + configuration.bucket - 1) / configuration.bucket) : 0
        buckets = BucketedStreams(
            groupBy: configuration.groupBy, bucket: configuration.bucket, maxStreams: maxStreams, evidenceLimit: evidenceLimit)
        explanationParameters = configuration.explanationParameters
    }

    /// The bucket's count against the baseline, and the band of counts that would not have opened.
    private func explain(count: Int, expected: Double, reading: Baseline.Reading) -> SignalExplanation {
        let band = reading.band(configuration.openThreshold, configuration.baseline)
        return SignalExplanation(
            measure: "records per \(buckets.bucketText)", observed: Double(count), expected: expected, lower: band.lower,
            upper: band.upper, parameters: explanationParameters)
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
        let reading = state.baseline.observe(
            Double(count), at: bucketStart, parameters: configuration.baseline, scratch: &scratch)
        if count > 0 {
            state.silentBuckets = 0
        } else {
            if state.silentBuckets == 0 { state.expectedBeforeSilence = reading.expected }
            state.silentBuckets &+= 1
        }
        let warm = bucketStart &- state.firstSeen >= configuration.warmUp && state.baseline.observations > 5
        let floor = Double(configuration.minimumCount)
        switch state.anomaly {
        case 0:
            guard warm else { return }
            if configuration.spikes, reading.score >= configuration.openThreshold, Double(count) >= floor {
                open(&state, direction: 1, slot: slot, start: bucketStart, end: end, reading: reading, into: &output)
            } else if configuration.drops, reading.expected >= floor, reading.score <= -configuration.openThreshold {
                open(&state, direction: -1, slot: slot, start: bucketStart, end: end, reading: reading, into: &output)
            } else if configuration.drops, silenceBuckets > 0, state.silentBuckets >= silenceBuckets,
                state.expectedBeforeSilence >= floor
            {
                open(&state, direction: -1, slot: slot, start: bucketStart, end: end, reading: reading, into: &output)
            }
        case 1:
            state.anomalyCount += count
            if reading.score < configuration.closeThreshold {
                resolve(&state, slot: slot, end: end, reading: reading, into: &output)
            }
        default:
            state.anomalyCount += count
            if count > 0, reading.score > -configuration.closeThreshold {
                resolve(&state, slot: slot, end: end, reading: reading, into: &output)
            }
        }
    }

    private func open(
        _ state: inout RateStreamState, direction: Int8, slot: Int, start: Int64, end: Int64,
        reading: Baseline.Reading, into output: inout SignalOutput
    ) {
        state.anomaly = direction
        state.anomalyStart = start
        state.anomalyCount = Int(state.count)
        let values = buckets.streams.entries[slot].values
        let name = Self.describe(values)
        let expectedCount = direction < 0 && state.count == 0 ? state.expectedBeforeSilence : reading.expected
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
                score: abs(reading.score), status: .firing, evidence: direction > 0 ? state.evidence : [],
                explanation: explain(count: Int(state.count), expected: expectedCount, reading: reading)),
            dueAt: end)
    }

    private func resolve(
        _ state: inout RateStreamState, slot: Int, end: Int64, reading: Baseline.Reading, into output: inout SignalOutput
    ) {
        let spike = state.anomaly > 0
        state.anomaly = 0
        let values = buckets.streams.entries[slot].values
        let title = "\(Self.describe(values)): rate \(spike ? "spike" : "drop") over: \(state.count) records in \(buckets.bucketText)"
        output.emit(
            Signal(
                detector: .rate, name: spike ? "rate.spike" : "rate.drop", key: values, severity: configuration.severity,
                title: title, start: state.anomalyStart, end: end, count: state.anomalyCount, score: abs(reading.score),
                status: .resolved, explanation: explain(count: Int(state.count), expected: reading.expected, reading: reading)),
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
