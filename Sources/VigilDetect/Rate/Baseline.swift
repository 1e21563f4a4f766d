/// The expected value of a series and its spread, learnt online: the z half of
/// `SeriesAnomalyScorer`, and so of the rate and error-ratio detectors.
///
/// `observe(_:at:parameters:scratch:)` first scores a value against what was learnt so far and then
/// learns from it. Memory: 48 bytes, plus
/// `4 × historyLength` bytes for `medianMAD` and `4 × seasonalSlots` bytes with seasonality.
public struct Baseline: Sendable {
    /// A value scored against the baseline.
    public struct Reading: Sendable, Hashable {
        /// The expected value.
        public var expected: Double
        /// `(value − expected) / scale`: positive above normal, negative below.
        public var score: Double
        /// The spread used.
        public var scale: Double
    }

    /// Observations learnt so far.
    public private(set) var observations = 0
    private var level = 0.0
    private var variance = 0.0
    private var history: [Float] = []
    private var historyNext = 0
    private var offsets: [Float] = []

    /// An empty baseline.
    public init() {}

    private func slot(at time: Int64, _ parameters: BaselineParameters) -> Int? {
        let period = parameters.seasonalPeriod
        guard period > 0, parameters.seasonalSlots > 0 else { return nil }
        let phase = ((time % period) + period) % period
        return Int(Double(phase) / Double(period) * Double(parameters.seasonalSlots)) % parameters.seasonalSlots
    }

    /// Scores `value` (observed at event time `time`) against the baseline, then learns it.
    /// `minimumScale` is a floor on the scale (the error ratio's binomial spread). For the first
    /// `warmStart` observations the EWMA weighs each value at least 1/n, a running mean and
    /// variance, so the first value does not anchor the level for long. `scratch` is reusable
    /// working memory for the median.
    public mutating func observe(
        _ value: Double, at time: Int64, parameters: BaselineParameters, minimumScale: Double = 0,
        warmStart: Int = 0, scratch: inout [Double]
    ) -> Reading {
        let slot = slot(at: time, parameters)
        if slot != nil, offsets.isEmpty { offsets = Array(repeating: 0, count: parameters.seasonalSlots) }
        let offset = slot.map { Double(offsets[$0]) } ?? 0
        guard observations > 0 else {
            level = value - offset
            observations = 1
            record(value - offset, parameters)
            return Reading(expected: value, score: 0, scale: minimumScale)
        }
        var centre = level, spread = variance.squareRoot()
        if parameters.method == .medianMAD, history.count >= 5 {
            (centre, spread) = Self.medianAndMAD(history, scratch: &scratch)
        }
        let expected = centre + offset
        let poisson = parameters.poissonFloor ? max(expected, 1).squareRoot() : 0
        let scale = max(spread, minimumScale, poisson) + parameters.scaleEpsilon * (abs(expected) + 1)
        let score = scale > 0 ? (value - expected) / scale : 0

        let residual = value - offset - level
        let alpha = observations < warmStart ? max(parameters.alpha, 1 / Double(observations + 1)) : parameters.alpha
        level += alpha * residual
        variance = (1 - alpha) * (variance + alpha * residual * residual)
        if let slot {
            offsets[slot] += Float(parameters.seasonalAlpha * (value - level - offset))
        }
        record(value - offset, parameters)
        observations += 1
        return Reading(expected: expected, score: score, scale: scale)
    }

    private mutating func record(_ value: Double, _ parameters: BaselineParameters) {
        guard parameters.method == .medianMAD, parameters.historyLength > 0 else { return }
        if history.count < parameters.historyLength {
            history.append(Float(value))
        } else {
            history[historyNext] = Float(value)
            historyNext = historyNext + 1 == parameters.historyLength ? 0 : historyNext + 1
        }
    }

    /// Median and 1.4826 × median absolute deviation of `values`.
    private static func medianAndMAD(_ values: [Float], scratch: inout [Double]) -> (Double, Double) {
        scratch.removeAll(keepingCapacity: true)
        for value in values { scratch.append(Double(value)) }
        let median = Self.median(&scratch)
        for index in scratch.indices { scratch[index] = abs(scratch[index] - median) }
        return (median, 1.4826 * Self.median(&scratch))
    }

    private static func median(_ values: inout [Double]) -> Double {
        values.sort()
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }
}
