/// Why a statistical detector signalled, in the units of what it measured: the value it saw, the
/// value it expected, the band of values that would not have opened a signal, and the settings
/// that decided (as Grafana's and Datadog's anomaly bands show it).
public struct SignalExplanation: Sendable, Hashable {
    /// What was measured: `records per 10s`, `error share per 1m`.
    public var measure: String
    /// The value seen in the bucket that decided.
    public var observed: Double
    /// The value the baseline expected there.
    public var expected: Double
    /// The lowest value that would not have opened a signal even as a new extreme (the expectation
    /// minus the spreads at which the score reaches `open_threshold`, in the measure's units).
    public var lower: Double
    /// The highest such value.
    public var upper: Double
    /// The detector's settings that decided, as configured (`open_threshold`, `bucket`, …), by name.
    public var parameters: [GroupValue]

    /// Creates an explanation.
    public init(measure: String, observed: Double, expected: Double, lower: Double, upper: Double, parameters: [GroupValue]) {
        self.measure = measure
        self.observed = observed
        self.expected = expected
        self.lower = lower
        self.upper = upper
        // By name, so an explanation read back from JSON (an object) equals the one written.
        self.parameters = parameters.sorted { $0.name < $1.name }
    }

    /// One line for people: `412 records per 10s, expected 35 (normal 12–70)`.
    public var summary: String {
        "\(Self.format(observed)) \(measure), expected \(Self.format(expected)) (normal \(Self.format(lower))–\(Self.format(upper)))"
    }

    /// A number for people: whole above 100, else up to three significant decimals.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        if abs(value) >= 100 { return String(Int(value.rounded())) }
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

extension SignalExplanation: Codable {
    enum CodingKeys: String, CodingKey { case measure, observed, expected, lower, upper, parameters }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let parameters = try c.decodeIfPresent([String: String].self, forKey: .parameters) ?? [:]
        self.init(
            measure: try c.decode(String.self, forKey: .measure), observed: try c.decode(Double.self, forKey: .observed),
            expected: try c.decode(Double.self, forKey: .expected), lower: try c.decode(Double.self, forKey: .lower),
            upper: try c.decode(Double.self, forKey: .upper),
            parameters: parameters.map { GroupValue(name: $0.key, value: $0.value) })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(measure, forKey: .measure)
        try c.encode(observed, forKey: .observed)
        try c.encode(expected, forKey: .expected)
        try c.encode(lower, forKey: .lower)
        try c.encode(upper, forKey: .upper)
        try c.encode(Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }), forKey: .parameters)
    }
}
