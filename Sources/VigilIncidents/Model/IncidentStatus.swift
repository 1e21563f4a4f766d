/// Where an incident is in its lifecycle (see ``IncidentLifecycle``).
///
///     firing ──ack──► acknowledged
///       │                  │
///       └──resolve──┬──────┘
///                   ▼
///               resolved ──reopen / the fingerprint fires again within reopen_window──► firing
///
///     firing | acknowledged | resolved ──merge into another──► merged (final)
public enum IncidentStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Open and not yet taken by anyone.
    case firing
    /// Open, and someone is on it: repeats of its signal no longer notify.
    case acknowledged
    /// Over: by the detector's resolved signal, after a quiet period, or by hand.
    case resolved
    /// Folded into another incident (`merged_into`), which now receives its fingerprint's signals.
    case merged

    /// Whether the incident is still open (firing or acknowledged).
    public var isOpen: Bool { self == .firing || self == .acknowledged }

    public var description: String { rawValue }
}
