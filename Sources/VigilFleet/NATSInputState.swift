import Foundation
import VigilCore
import VigilStore

/// The central input's durable state (`nats-input.state`): per edge, the highest sequence whose
/// records are committed to the store. Saved after each commit and before the acknowledgements,
/// so a crash between the two leaves a state that is at most one commit behind; the records of that
/// commit carry `_edge_seq`, and start-up reads them back from the store's newest segments.
struct NATSInputState: Codable, Equatable, Sendable {
    static let fileName = "nats-input.state"

    struct Edge: Codable, Equatable, Sendable {
        var host: String
        var sequence: UInt64
        /// When the central vigild last committed a message of this edge, ns.
        var lastCommitted: Int64
        /// The newest event time among its records, ns.
        var lastRecordTime: Int64
        /// Time between the edge's publish (JetStream's timestamp) and the commit here, ns.
        var lag: Int64

        enum CodingKeys: String, CodingKey {
            case host, sequence, lastCommitted = "last_committed", lastRecordTime = "last_record_time", lag
        }
    }

    var version = 1
    var savedAt: Int64 = 0
    var edges: [String: Edge] = [:]

    enum CodingKeys: String, CodingKey { case version, savedAt = "saved_at", edges }

    static func load(directory: String) throws -> NATSInputState {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return NATSInputState() }
        do {
            return try JSONDecoder().decode(NATSInputState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw FleetError.badStateFile(path: path, reason: "\(error)")
        }
    }

    mutating func save(directory: String) throws {
        savedAt = WallClock.now()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(self)) + [10], to: directory + "/" + Self.fileName)
    }

    /// Raises the sequences from the records committed after the state was saved: those of the
    /// segments still active then (unsealed, or sealed since). Returns how many edges moved.
    mutating func catchUp(withStore directory: String) throws -> Int {
        let catalog = try StoreCatalog(directory: directory)
        let feed = StoreBlockFeed(directory: directory)
        var moved = Set<String>()
        let since = savedAt - 1_000_000_000
        for segment in catalog.segments where !segment.sealed || (segment.sealedAt ?? .max) >= since {
            var position = BlockPosition(segment: segment.id, block: 0)
            while position.segment == segment.id {
                let batch = try feed.read(from: position, maxBlocks: 64, maxBytes: 64 << 20)
                for block in batch.blocks where block.position.segment == segment.id {
                    for record in try BlockTransfer.records(in: block.bytes).records {
                        guard let mark = record.fields[ForwardedMessage.sequenceField],
                            let colon = mark.lastIndex(of: ":"), let sequence = UInt64(mark[mark.index(after: colon)...])
                        else { continue }
                        let edgeID = String(mark[..<colon])
                        var edge = edges[edgeID] ?? Edge(host: record.host, sequence: 0, lastCommitted: 0, lastRecordTime: 0, lag: 0)
                        if sequence > edge.sequence {
                            edge.sequence = sequence
                            edge.lastRecordTime = max(edge.lastRecordTime, record.time)
                            edges[edgeID] = edge
                            moved.insert(edgeID)
                        }
                    }
                }
                if batch.blocks.isEmpty || !batch.more { break }
                position = batch.next
            }
        }
        return moved.count
    }
}
