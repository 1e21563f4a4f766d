/// The parameters of a `Baseline`: how the expected value and its spread are estimated, in one
/// place so the rate detector, the error-ratio detector and the series scorer share the algorithm
/// and it is easy to tune.
public struct BaselineParameters: Sendable, Hashable {
    /// How the centre and spread are estimated.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// Exponentially weighted mean and variance (O(1) memory per stream).
        case ewma
        /// Median and median absolute deviation (× 1.4826) over the last `historyLength`
        /// observations: robust to outliers, costs `4 × historyLength` bytes per stream.
        case medianMAD = "median_mad"
    }

    /// A variance-stabilising transform applied to values before everything else.
    public enum Transform: String, Sendable, Hashable, CaseIterable {
        /// Values as they are (ratios, arbitrary series).
        case identity
        /// `√x`, for counts: a Poisson count's square root has a spread of about 0.5 whatever its
        /// mean, so one threshold fits busy and quiet streams, and a drop to zero from `n` scores
        /// like a spike from `n` to about `4n`.
        case squareRoot = "sqrt"
    }

    /// The estimator; default EWMA.
    public var method = Method.ewma
    /// The transform; default `squareRoot` (counts).
    public var transform = Transform.squareRoot
    /// EWMA weight of each new observation (0 < alpha ≤ 1); default 0.05 (about 20 observations of
    /// memory). Also used for the level when `method` is `medianMAD` and history is short.
    public var alpha = 0.05
    /// Observations kept for `medianMAD`; default 180 (30 min of 10 s buckets).
    public var historyLength = 180
    /// The smallest scale (spread) in transformed units; default 0.5 (the Poisson spread of `√x`).
    public var minimumScale = 0.5
    /// The scale is at least this fraction of the expected value's magnitude; default 0.
    public var relativeMinimumScale = 0.0
    /// The scale is at least the Poisson spread of a count, `√max(expected, 1)` (identity transform
    /// only): a count that was exactly the same for a while is not anomalous for being one more.
    /// Default false.
    public var poissonFloor = false
    /// Added to the scale, times `|expected| + 1`, so that a flat series still has a positive scale
    /// (the series scorer uses 1e-9); default 0.
    public var scaleEpsilon = 0.0
    /// Values are clamped to `expected ± winsorize × scale` before they update the baseline, so one
    /// outburst barely moves it while a lasting shift is still learnt; 0 turns clamping off.
    /// Default 4.
    public var winsorize = 4.0
    /// Seasonality period in ns (a day: 86 400 s), or 0 for none. With a period, the baseline also
    /// learns an additive offset per slot of the period (Holt-Winters style); use a small `alpha`
    /// so the level does not absorb the daily pattern.
    public var seasonalPeriod: Int64 = 0
    /// Slots per seasonal period; default 24 (hours of the day).
    public var seasonalSlots = 24
    /// Weight of each observation in its slot's offset; default 0.02.
    public var seasonalAlpha = 0.02

    /// The defaults (counts in buckets, EWMA).
    public init() {}
}
