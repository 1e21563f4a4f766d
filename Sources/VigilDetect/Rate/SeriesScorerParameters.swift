/// The parameters of `SeriesAnomalyScorer`, all in one place (see `bench/nab/ALGORITHM.md`; the
/// defaults are the prototype's, one configuration for every series, chosen by leave-one-category-out
/// cross-validation on the NAB subset: bench/nab/loco.py).
public struct SeriesScorerParameters: Sendable, Hashable {
    /// The baseline: EWMA of the raw values with `alpha` 0.002, no transform, no clamping, no floor
    /// but a 1e-9 relative epsilon on the scale.
    public var baseline: BaselineParameters = {
        var parameters = BaselineParameters()
        parameters.method = .ewma
        parameters.transform = .identity
        parameters.alpha = 0.002
        parameters.minimumScale = 0
        parameters.relativeMinimumScale = 0
        parameters.scaleEpsilon = 1e-9
        parameters.winsorize = 0
        return parameters
    }()
    /// Values with index below this score 0 (the baseline still learns them); default 150.
    public var warmUp = 150
    /// The z half of the score is `1 − exp(−|z| / squashScale)`; default 10.
    public var squashScale = 10.0
    /// Bins of the novelty half (`TransitionNovelty`, 2–30); default 4.
    public var levels = 4
    /// A score of at least `restThreshold` silences the next `restPeriod` values (one alert per
    /// episode); 0 turns the rest off; default 100.
    public var restPeriod = 100
    /// Default 0.75.
    public var restThreshold = 0.75

    /// The defaults.
    public init() {}
}
