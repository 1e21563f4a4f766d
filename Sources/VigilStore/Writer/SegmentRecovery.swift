import Foundation
import Logging
import VigilCore

/// What opening a data directory found and repaired.
public struct RecoveryReport: Sendable, Equatable {
    /// An unsealed segment that was scanned, cut at its last good block where needed, and sealed.
    public struct RepairedSegment: Sendable, Equatable {
        public var path: String
        public var blocksKept: Int
        public var recordsKept: Int
        /// Bytes of torn tail cut off.
        public var bytesCut: Int64
        /// Damage found, in words (`offset 1234: payload checksum mismatch`).
        public var problems: [String]
    }

    public var repaired: [RepairedSegment] = []
    /// Segments that could not be read at all and were moved to `quarantine/`, with the reason.
    public var quarantined: [(path: String, reason: String)] = []
    /// Readable blocks of quarantined segments, copied into new segments: from where, to where,
    /// how many blocks and records.
    public var salvaged: [(from: String, to: String, blocks: Int, records: Int)] = []
    /// Empty segments (created, then a crash before the first block) that were removed.
    public var removedEmpty: [String] = []
    /// Leftover temporary files removed.
    public var removedTemporary: [String] = []
    /// The id the next segment gets.
    public var nextSegmentID: UInt64 = 1

    public static func == (a: RecoveryReport, b: RecoveryReport) -> Bool {
        a.repaired == b.repaired && a.quarantined.map(\.path) == b.quarantined.map(\.path)
            && a.removedEmpty == b.removedEmpty && a.removedTemporary == b.removedTemporary
            && a.nextSegmentID == b.nextSegmentID
    }
}

/// Brings a data directory to a consistent state before writing: every segment sealed, torn tails cut
/// at the last good block, unreadable segments quarantined. Acknowledged (fsynced) blocks are never cut:
/// a block is written whole before its append returns, so a torn tail can only hold unacknowledged data.
enum SegmentRecovery {
    static func recover(_ directory: SegmentDirectory, logger: Logger) throws(StoreError) -> RecoveryReport {
        var report = RecoveryReport()
        for temporary in directory.temporaryFiles() + directory.spareFiles() {
            unlink(temporary)
            report.removedTemporary.append(temporary)
        }
        var maxID: UInt64 = 0
        for (id, path) in try directory.segments() {
            maxID = max(maxID, id)
            let file = try PosixFile(path: path, flags: O_RDWR)
            let size = try file.size()
            let header: SegmentHeader
            do {
                header = try SegmentHeader.decode(try file.read(at: 0, count: SegmentHeader.size), path: path)
            } catch let error {
                if case .unsupportedVersion = error { throw error }
                if size < Int64(SegmentHeader.size) {
                    // Created but never published completely: nothing in it was ever acknowledged.
                    unlink(path)
                    report.removedEmpty.append(path)
                    continue
                }
                let target = try directory.quarantine(path)
                QuarantineNote.write(for: target, reason: error.description, at: WallClock.now())
                report.quarantined.append((target, error.description))
                logger.error("quarantined unreadable segment", metadata: ["segment": "\(path)", "reason": "\(error)"])
                continue
            }
            _ = header
            if try SegmentFooter.read(from: file, fileSize: size) != nil { continue }

            let scan = try SegmentScanner.scan(file, end: size, checkPayloads: true, resynchronize: true)
            var repaired = RecoveryReport.RepairedSegment(
                path: path, blocksKept: scan.blocks.count,
                recordsKept: scan.blocks.reduce(0) { $0 + Int($1.header.recordCount) }, bytesCut: 0, problems: [])
            var end = size
            for damage in scan.damage {
                repaired.problems.append("offset \(damage.offset): \(damage.reason)" + (damage.isTail ? " (torn tail of \(damage.length) bytes cut)" : " (\(damage.length) bytes skipped)"))
                if damage.isTail {
                    end = damage.offset
                    repaired.bytesCut = damage.length
                }
            }
            if scan.blocks.isEmpty {
                unlink(path)
                report.removedEmpty.append(path)
                continue
            }
            if end < size { try file.truncate(to: end) }
            let entries = scan.blocks.map { BlockIndexEntry(offset: $0.offset, header: $0.header) }
            let footer = SegmentFooter(blocks: entries, sealedAt: WallClock.now())
            try file.write(footer.encode(at: end), at: end)
            try file.sync()
            report.repaired.append(repaired)
            logger.notice(
                "recovered unsealed segment",
                metadata: [
                    "segment": "\(path)", "blocks": "\(repaired.blocksKept)", "records": "\(repaired.recordsKept)",
                    "bytes_cut": "\(repaired.bytesCut)", "problems": "\(repaired.problems)",
                ])
        }
        // A segment set aside for its header may still hold whole blocks: copy them into new
        // segments, so one bad header never hides a segment's good records.
        var nextID = maxID + 1
        for (quarantined, _) in report.quarantined {
            guard let (blocks, records) = try salvage(quarantined, into: directory.segmentPath(nextID), id: nextID) else { continue }
            report.salvaged.append((quarantined, directory.segmentPath(nextID), blocks, records))
            logger.notice(
                "salvaged the readable blocks of a quarantined segment",
                metadata: ["from": "\(quarantined)", "to": "\(directory.segmentPath(nextID))", "blocks": "\(blocks)", "records": "\(records)"])
            nextID += 1
        }
        if !report.removedEmpty.isEmpty || !report.removedTemporary.isEmpty || !report.salvaged.isEmpty {
            try PosixFile.syncDirectory(directory.path)
        }
        report.nextSegmentID = nextID
        return report
    }

    /// Copies the blocks of `source` whose header and payload checksums hold into a new sealed
    /// segment at `path` (written aside, synced, then renamed into place). Returns how many blocks
    /// and records were kept, or `nil` when none could be read.
    static func salvage(_ source: String, into path: String, id: UInt64) throws(StoreError) -> (blocks: Int, records: Int)? {
        let file = try PosixFile(path: source, flags: O_RDONLY)
        let scan = try SegmentScanner.scan(file, end: try file.size(), checkPayloads: true, resynchronize: true)
        guard !scan.blocks.isEmpty else { return nil }
        let temporary = path + ".salvage"
        let output = try PosixFile(path: temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
        let now = WallClock.now()
        var offset = Int64(SegmentHeader.size)
        try output.write(SegmentHeader(segmentID: id, createdAt: now).encode(), at: 0)
        var entries: [BlockIndexEntry] = []
        for block in scan.blocks {
            let bytes = try file.read(at: block.offset, count: block.header.totalLength)
            guard bytes.count == block.header.totalLength else { continue }
            try output.write(bytes, at: offset)
            entries.append(BlockIndexEntry(offset: offset, header: block.header))
            offset += Int64(bytes.count)
        }
        try output.write(SegmentFooter(blocks: entries, sealedAt: now).encode(at: offset), at: offset)
        try output.sync()
        guard rename(temporary, path) == 0 else { throw .io(path: temporary, operation: "rename", errno: errno) }
        return (entries.count, entries.reduce(0) { $0 + Int($1.recordCount) })
    }
}
