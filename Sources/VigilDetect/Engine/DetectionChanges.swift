/// What a reload changed in the running detection: rules by name, and detectors rebuilt.
public struct DetectionChanges: Sendable, Hashable, CustomStringConvertible {
    /// Rules that are new.
    public var addedRules: [String] = []
    /// Rules whose definition changed (their windows and groups start empty).
    public var changedRules: [String] = []
    /// Rules no longer configured (or disabled).
    public var removedRules: [String] = []
    /// Detectors rebuilt because their settings changed (`rate`, `error_ratio`, `new_template`).
    public var detectors: [String] = []
    /// Keys that keep their running value until a restart (`lateness`, `max_buffered`,
    /// `max_streams`, `evidence`, `max_ahead`).
    public var needRestart: [String] = []

    /// Nothing changed.
    public init() {}

    /// Whether anything that applies changed.
    public var isEmpty: Bool { addedRules.isEmpty && changedRules.isEmpty && removedRules.isEmpty && detectors.isEmpty }

    /// `rules added: a; changed: b; removed: c; detectors rebuilt: rate`.
    public var description: String {
        var parts: [String] = []
        if !addedRules.isEmpty { parts.append("rules added: \(addedRules.joined(separator: ", "))") }
        if !changedRules.isEmpty { parts.append("rules changed: \(changedRules.joined(separator: ", "))") }
        if !removedRules.isEmpty { parts.append("rules removed: \(removedRules.joined(separator: ", "))") }
        if !detectors.isEmpty { parts.append("detectors rebuilt: \(detectors.joined(separator: ", "))") }
        return parts.isEmpty ? "nothing changed" : parts.joined(separator: "; ")
    }
}
