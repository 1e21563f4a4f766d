/// Which detector produced a `Signal`.
public enum DetectorKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// A `[[rules]]` entry: more than `threshold` matching records within a sliding `window`.
    case rule
    /// `[detectors.rate]`: a stream's record rate left its baseline (spike, drop or silence).
    case rate
    /// `[detectors.error_ratio]`: a stream's share of err-or-worse records rose above its baseline.
    case errorRatio = "error_ratio"
    /// `[detectors.new_template]`: a never-seen message template appeared, or a rare one burst.
    case newTemplate = "new_template"

    /// The configuration name: `rule`, `rate`, `error_ratio`, `new_template`.
    public var description: String { rawValue }
}
