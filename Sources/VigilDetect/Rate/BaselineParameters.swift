/// The parameters of a `Baseline`: how the expected value and its spread are estimated, in one
/// place (the series scorer's, and so the rate and error-ratio detectors').
public struct BaselineParameters: Sendable, Hashable {
    /// How the centre and spread are estimated.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// Exponentially weighted mean and variance (O(1) memory per stream).
        case ewma
        /// Median and median absolute deviation (× 1.4826) over the last `historyLength`
        /// observations: robust to outliers, costs `4 × historyLength` bytes per stream.
        case medianMAD = "median_mad"
    }

    /// The estimator; default EWMA.
    public var method = Method.ewma
    /// EWMA weight of each new observation (0 < alpha ≤ 1); default 0.002 (about 500 observations
    /// of memory). Also used for the level when `method` is `medianMAD` and history is short.
    public var alpha = 0.002
    /// Observations kept for `medianMAD`; default 180 (30 min of 10 s buckets).
    public var historyLength = 180
    /// The scale is at least the Poisson spread of a count, `√max(expected, 1)`: a count that was
    /// exactly the same for a while is not anomalous for being one more. Default false.
    public var poissonFloor = false
    /// Added to the scale, times `|expected| + 1`, so that a flat series still has a positive scale;
    /// default 1e-9.
    public var scaleEpsilon = 1e-9
    /// Seasonality period in ns (a day: 86 400 s), or 0 for none. With a period, the baseline also
    /// learns an additive offset per slot of the period (Holt-Winters style); use a small `alpha`
    /// so the level does not absorb the daily pattern.
    public var seasonalPeriod: Int64 = 0
    /// Slots per seasonal period; default 24 (hours of the day).
    public var seasonalSlots = 24
    /// Weight of each observation in its slot's offset; default 0.02.
    public var seasonalAlpha = 0.02

    /// The defaults.
    public init() {}
}
