import Foundation
import Synchronization
import VigilCore

/// Reads the store's blocks as they are on disk, in store order, from a position: what the fleet
/// forwarder sends. Sealed segments are listed by their footers, the active one by scanning the
/// block headers appended since the last call, so a call costs the new blocks only.
///
/// Blocks are positional: a recompressed segment (same blocks, same order) keeps its positions,
/// but a compacted one (small blocks merged) does not, so the store compacts only segments the
/// forwarder has passed (`StoreWriter.holdCompaction(from:)`). A segment is read through the file
/// it was listed from (`SegmentSummary`), so a rewrite between two calls cannot move its blocks.
public final class StoreBlockFeed: Sendable {
    /// One block: its position, its bytes (header and payload, both checksums verified) and what its
    /// header says.
    public struct Block: Sendable {
        public var position: BlockPosition
        public var bytes: [UInt8]
        public var recordCount: Int
        public var maxTime: Int64
    }

    /// What a call found.
    public struct Batch: Sendable {
        /// The blocks, in store order.
        public var blocks: [Block] = []
        /// The position after the last block given (or after what was skipped).
        public var next: BlockPosition
        /// Segments that were deleted (by retention) before their blocks were read.
        public var missedSegments: [UInt64] = []
        /// Blocks skipped because they failed their checksums, with the reason.
        public var corrupt: [(position: BlockPosition, reason: String)] = []
        /// Whether blocks after `next` were already there (the caller should call again at once).
        public var more = false
    }

    public let directory: String
    /// The segments listed so far (sealed ones are read once; unsealed ones resume their scan).
    private let summaries = Mutex<[UInt64: SegmentSummary]>([:])

    public init(directory: String) {
        self.directory = directory
    }

    /// Up to `maxBlocks` blocks (and about `maxBytes`) from `position` on.
    public func read(from position: BlockPosition, maxBlocks: Int, maxBytes: Int) throws(StoreError) -> Batch {
        let listing = try SegmentDirectory(path: directory).segments()
        let present = Set(listing.map(\.id))
        // Segments before the position are behind the reader for good: their files are let go.
        var summaries = self.summaries.withLock { $0 }.filter { present.contains($0.key) && $0.key >= position.segment }
        defer { self.summaries.withLock { $0 = summaries } }
        var batch = Batch(next: position)
        var bytes = 0
        for (id, path) in listing where id >= batch.next.segment {
            if batch.blocks.count >= maxBlocks || bytes >= maxBytes {
                batch.more = true
                return batch
            }
            if id > batch.next.segment {
                // The segment the position named is gone; if it was not wholly sent, records were lost.
                if batch.next.segment != 0, !present.contains(batch.next.segment) {
                    batch.missedSegments.append(batch.next.segment)
                }
                batch.next = BlockPosition(segment: id, block: 0)
            }
            let summary: SegmentSummary
            do {
                let previous = summaries[id]
                summary = previous?.sealed == true ? previous! : try StoreCatalog.summarize(id: id, path: path, resumingFrom: previous)
            } catch {
                if case .io(_, _, let code) = error, code == ENOENT { continue }
                throw error
            }
            summaries[id] = summary
            if batch.next.block > summary.blocks.count {
                // The segment holds fewer blocks than were sent: its tail was cut by recovery after a
                // crash of the machine. Carry on from its end.
                batch.next.block = summary.blocks.count
            }
            let file = summary.file
            while batch.next.block < summary.blocks.count {
                if batch.blocks.count >= maxBlocks || bytes >= maxBytes {
                    batch.more = true
                    return batch
                }
                let location = summary.blocks[batch.next.block]
                let position = batch.next
                batch.next.block += 1
                let data = try file.read(at: location.offset, count: location.length)
                switch Self.check(data) {
                case .success(let header):
                    bytes += data.count
                    batch.blocks.append(Block(position: position, bytes: data, recordCount: Int(header.recordCount), maxTime: header.maxTime))
                case .failure(let reason):
                    batch.corrupt.append((position, "\(path): block at offset \(location.offset): \(reason)"))
                }
            }
            // Past the end of a sealed segment, the next block is in the next segment (ids grow by one).
            guard summary.sealed else { return batch }
            batch.next = BlockPosition(segment: id + 1, block: 0)
        }
        return batch
    }

    /// The position after the store's last block now: where a forwarder that sends only new records
    /// starts.
    public func end() throws(StoreError) -> BlockPosition {
        guard let (id, path) = try SegmentDirectory(path: directory).segments().last else { return .start }
        let summary = try StoreCatalog.summarize(id: id, path: path, resumingFrom: nil)
        return summary.sealed ? BlockPosition(segment: id + 1, block: 0) : BlockPosition(segment: id, block: summary.blocks.count)
    }

    /// Blocks after `position` among the segments the last `read` listed.
    public func pendingBlocks(after position: BlockPosition) -> Int {
        summaries.withLock { summaries in
            summaries.values.reduce(0) { total, summary in
                if summary.id < position.segment { return total }
                if summary.id == position.segment { return total + max(0, summary.blocks.count - position.block) }
                return total + summary.blocks.count
            }
        }
    }

    /// The block's header when both of its checksums hold.
    static func check(_ bytes: [UInt8]) -> Result<BlockHeader, CheckFailure> {
        guard bytes.count >= BlockHeader.size else { return .failure(CheckFailure("shorter than a block header")) }
        let decoded = bytes.withUnsafeBytes { BlockHeader.decode(UnsafeRawBufferPointer(rebasing: $0[..<BlockHeader.size])) }
        switch decoded {
        case .failure(let failure): return .failure(CheckFailure(failure.description))
        case .success(let header):
            guard header.totalLength == bytes.count else {
                return .failure(CheckFailure("\(bytes.count) bytes, the header announces \(header.totalLength)"))
            }
            let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[BlockHeader.size...])) }
            guard checksum == header.payloadChecksum else { return .failure(CheckFailure("payload checksum mismatch")) }
            return .success(header)
        }
    }

    struct CheckFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
