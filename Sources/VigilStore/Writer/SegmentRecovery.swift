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
        if !report.removedEmpty.isEmpty || !report.removedTemporary.isEmpty { try PosixFile.syncDirectory(directory.path) }
        report.nextSegmentID = maxID + 1
        return report
    }
}
