import Foundation

/// The template miner's templates as a value that survives restarts: the daemon writes
/// `jsonBytes()` to a file (atomically) and hands `init(jsonBytes:)` to
/// `DetectionEngine.restoreTemplates(_:)` on start, so known templates are not reported as new again.
public struct TemplateSnapshot: Sendable, Hashable, Codable {
    /// The format version written; a reader refuses other versions.
    public static let currentVersion = 1

    /// One template.
    public struct Entry: Sendable, Hashable, Codable {
        /// The template id.
        public var id: Int
        /// The masked tokens (`<*>` for wildcards).
        public var tokens: [String]
        /// The prefix-tree branch the template sits on (`<*>` where the tree used its wildcard child).
        public var path: [String]
        /// Messages matched.
        public var count: Int
        /// Event time of the first message, ns.
        public var firstSeen: Int64
        /// Event time of the latest message, ns.
        public var lastSeen: Int64
        /// Service of the first message.
        public var service: String
        /// Whether the template is keyed (a known shape: access-log, structured or Java trace line,
        /// found by its text rather than the prefix tree); absent when not.
        public var keyed: Bool?
    }

    /// Why a snapshot could not be read.
    /// The format version.
    public var version = TemplateSnapshot.currentVersion
    /// The id the next new template gets.
    public var nextID: Int
    /// The templates, least recently seen first.
    public var templates: [Entry]
    /// Ids of templates merged into another, as `[id, joined id]` pairs, oldest first; absent when
    /// none (snapshots written before merging existed have none).
    public var aliases: [[Int]]?

    /// A snapshot of `templates`.
    public init(nextID: Int, templates: [Entry]) {
        self.nextID = nextID
        self.templates = templates
    }

    /// The snapshot as compact JSON.
    public func jsonBytes() -> [UInt8] {
        DetectorStateJSON.encode(self)
    }

    /// Reads JSON written by `jsonBytes()`; a snapshot of another format version is refused.
    public init(jsonBytes: some Collection<UInt8>) throws(DetectorStateError) {
        self = try DetectorStateJSON.decode(
            TemplateSnapshot.self, from: jsonBytes, state: "template snapshot", version: \.version, supported: Self.currentVersion)
    }
}
