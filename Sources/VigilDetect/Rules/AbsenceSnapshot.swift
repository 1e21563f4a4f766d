/// The state of the `absent` rules as plain values: per rule, each group key's silence start and
/// whether it is firing. The daemon writes `jsonBytes()` to a file (atomically) and hands
/// `init(jsonBytes:)` to `DetectionEngine.restoreAbsence(_:)` at start, so a stream that went quiet
/// before a restart is still missed after it, and one already reported is not reported again.
public struct AbsenceSnapshot: Sendable, Codable, Equatable {
    /// The format version this build writes and reads.
    public static let currentVersion = 1

    /// One rule's groups.
    public struct Rule: Sendable, Codable, Equatable {
        /// The rule's `group_by` names: groups are restored only into a rule grouping the same way.
        public var groupBy: [String]
        /// When the rule's expectations started, ns.
        public var startedAt: Int64?
        /// The groups.
        public var groups: [Group] = []

        enum CodingKeys: String, CodingKey { case groupBy = "group_by", startedAt = "started_at", groups }
    }

    /// One group key.
    public struct Group: Sendable, Codable, Equatable {
        /// The group-by names and values.
        public var key: [GroupValue]
        /// When its silence began, ns.
        public var since: Int64
        /// Whether a record was seen (false for an expected key never seen).
        public var seen: Bool
        /// Whether the silence opened a signal not resolved yet.
        public var firing: Bool
    }

    /// The format version.
    public var version = AbsenceSnapshot.currentVersion
    /// The rules, by name.
    public var rules: [String: Rule] = [:]

    /// An empty snapshot.
    public init() {}

    /// The snapshot as compact JSON.
    public func jsonBytes() -> [UInt8] {
        DetectorStateJSON.encode(self)
    }

    /// Reads JSON written by `jsonBytes()`; a snapshot of another format version is refused.
    public init(jsonBytes: some Collection<UInt8>) throws(DetectorStateError) {
        self = try DetectorStateJSON.decode(
            AbsenceSnapshot.self, from: jsonBytes, state: "absence state", version: \.version, supported: Self.currentVersion)
    }
}
