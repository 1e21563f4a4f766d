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
    }

    /// Why a snapshot could not be read.
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The bytes are not a snapshot.
        case malformed(String)
        /// The snapshot was written by a version this build does not read.
        case unsupportedVersion(Int)

        public var description: String {
            switch self {
            case .malformed(let reason): "template snapshot is not valid: \(reason)"
            case .unsupportedVersion(let version):
                "template snapshot version \(version) is not supported (this build reads \(TemplateSnapshot.currentVersion))"
            }
        }
    }

    /// The format version.
    public var version = TemplateSnapshot.currentVersion
    /// The id the next new template gets.
    public var nextID: Int
    /// The templates, least recently seen first.
    public var templates: [Entry]

    /// A snapshot of `templates`.
    public init(nextID: Int, templates: [Entry]) {
        self.nextID = nextID
        self.templates = templates
    }

    /// The snapshot as compact JSON.
    public func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings and integers cannot fail.
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// Reads JSON written by `jsonBytes()`.
    public init(jsonBytes: some Collection<UInt8>) throws(ReadError) {
        let decoded: TemplateSnapshot
        do {
            decoded = try JSONDecoder().decode(TemplateSnapshot.self, from: Data(jsonBytes))
        } catch {
            throw .malformed(String(describing: error))
        }
        guard decoded.version == Self.currentVersion else { throw .unsupportedVersion(decoded.version) }
        self = decoded
    }
}
