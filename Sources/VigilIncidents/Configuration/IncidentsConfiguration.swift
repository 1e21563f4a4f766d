import VigilCore

/// `[incidents]`: how signals become incidents and how long resolved ones are kept.
///
///     [incidents]
///     enabled = true
///     resolve_on = "signal"    # "signal": the detector's own resolved signal; "quiet": after
///                              # resolve_after without signals; "manual": only by hand
///     resolve_after = "5m"     # event time without signals before "quiet" resolves
///     reopen_window = "1h"     # a fingerprint firing again this soon after resolution reopens it
///     retention = "90d"        # resolved and merged incidents older than this are pruned
///     backend = "sqlite"       # or "postgres", shared by several vigild (with url, see
///                              # `PostgresSettings`)
public struct IncidentsConfiguration: Sendable, Hashable, ConfigDecodable {
    /// When an incident resolves without a person.
    public enum ResolveOn: String, Sendable, Hashable, CaseIterable {
        /// On the detector's own resolved signal (a rule's window drained, a score back in band).
        case signal
        /// After `resolveAfter` of event time without a signal.
        case quiet
        /// Only by hand (API, CLI or the Events API).
        case manual
    }

    /// Whether signals become incidents (the management API still serves what is stored).
    public var enabled = true
    /// `resolve_on`; default `signal`.
    public var resolveOn = ResolveOn.signal
    /// `resolve_after`, ns; default 5 min.
    public var resolveAfter: Int64 = 300_000_000_000
    /// `reopen_window`, ns; default 1 h.
    public var reopenWindow: Int64 = 3_600_000_000_000
    /// `retention`, ns; default 90 days.
    public var retention: Int64 = 90 * 86_400_000_000_000
    /// Where incidents are kept.
    public enum Backend: Sendable, Hashable {
        /// `incidents.db` in the data directory: this vigild's own.
        case sqlite
        /// A PostgreSQL database several vigild share.
        case postgres(PostgresSettings)
    }

    /// `backend`; default `sqlite`.
    public var backend = Backend.sqlite
    /// Evidence records kept per incident: `[detectors] evidence`, set by the caller.
    public var evidenceLimit = 5

    /// The defaults.
    public init() {}

    /// Reads `[incidents]`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        resolveOn =
            try table.choice("resolve_on", ["signal": ResolveOn.signal, "quiet": .quiet, "manual": .manual]) ?? resolveOn
        resolveAfter = try table.duration("resolve_after", atLeast: 1_000_000_000) ?? resolveAfter
        reopenWindow = try table.duration("reopen_window") ?? reopenWindow
        retention = try table.duration("retention", atLeast: 3_600_000_000_000) ?? retention
        switch try table.choice("backend", ["sqlite": "sqlite", "postgres": "postgres"]) ?? "sqlite" {
        case "postgres":
            backend = .postgres(try PostgresSettings(table: table))
        default:
            for key in ["url", "password", "password_file", "connections", "connect_timeout"] where table.contains(key) {
                throw table.invalid(key, "only for backend = \"postgres\"")
            }
        }
    }
}
