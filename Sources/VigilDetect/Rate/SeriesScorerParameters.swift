/// The parameters of `SeriesAnomalyScorer`, all in one place (see `bench/nab/ALGORITHM.md`; the
/// defaults are the prototype's, tuned once for every NAB series).
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
    /// The raw score is `1 − exp(−|z| / squashScale)`; default 10.
    public var squashScale = 10.0
    /// A raw score that does not beat every raw score of this many previous values is damped;
    /// 0 turns suppression off; default 100.
    public var suppressionWindow = 100
    /// The factor applied to a damped score; default 0.5.
    public var damping = 0.5

    /// The defaults.
    public init() {}
}
