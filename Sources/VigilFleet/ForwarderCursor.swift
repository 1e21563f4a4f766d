import Foundation
import VigilCore
import VigilStore

/// The forwarder's durable state (`nats-forward.state` in the data directory): this store's edge
/// id, the next block to send and the sequence number of the last message JetStream acknowledged.
/// It is replaced atomically after each acknowledged window, never before.
///
/// The edge id is drawn once per data directory: a wiped directory starts a new edge whose
/// sequence starts again at 1, and the central vigild treats it as a new edge instead of
/// discarding its first messages as duplicates.
struct ForwarderCursor: Codable, Equatable, Sendable {
    static let fileName = "nats-forward.state"

    var version = 1
    var edgeID: String
    var segment: UInt64
    var block: Int
    var sequence: UInt64

    enum CodingKeys: String, CodingKey { case version, edgeID = "edge_id", segment, block, sequence }

    var position: BlockPosition {
        get { BlockPosition(segment: segment, block: block) }
        set {
            segment = newValue.segment
            block = newValue.block
        }
    }

    static func newEdgeID() -> String {
        (0..<16).map { _ in String(UInt8.random(in: 0...15), radix: 16) }.joined()
    }

    /// The saved cursor, nil when there is none; a damaged file is an error (sending everything
    /// again under a new edge id would duplicate the whole store centrally).
    static func load(directory: String) throws -> ForwarderCursor? {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            return try JSONDecoder().decode(ForwarderCursor.self, from: data)
        } catch {
            throw FleetError.badStateFile(path: path, reason: "\(error)")
        }
    }

    func save(directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(self)) + [10], to: directory + "/" + Self.fileName)
    }
}

/// Errors of fleet mode.
public enum FleetError: Error, CustomStringConvertible {
    /// A state file that does not decode.
    case badStateFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .badStateFile(let path, let reason):
            "\(path): cannot read the fleet state (\(reason)); move it aside to start again (a forwarder then sends the store again under a new edge id)"
        }
    }
}
