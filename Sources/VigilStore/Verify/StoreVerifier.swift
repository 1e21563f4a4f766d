import Foundation

/// `vigil verify`: checks every block of every segment — header, payload checksum, decompression and
/// column structure — and the footers, and lists each problem with its segment and offset.
public enum StoreVerifier {
    /// One problem found.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var offset: Int64?
        public var reason: String
        public var description: String { offset.map { "\(path): offset \($0): \(reason)" } ?? "\(path): \(reason)" }
    }

    public struct Report: Sendable {
        public var segmentsChecked = 0
        public var blocksChecked = 0
        public var recordsChecked = 0
        public var problems: [Problem] = []
        /// Unsealed segments (the active one, or one awaiting recovery): not a problem by themselves.
        public var unsealed: [String] = []
        /// Segments recovery set aside in `quarantine/`, with the reason it gave.
        public var quarantined: [(path: String, reason: String?)] = []
        public var isClean: Bool { problems.isEmpty }
    }

    /// Verifies `directory`; `progress` is called with each segment path before it is checked.
    public static func verify(directory: String, progress: (String) -> Void = { _ in }) throws(StoreError) -> Report {
        var report = Report()
        let layout = SegmentDirectory(path: directory)
        let decompressor = BlockDecompressor()
        for (_, path) in try layout.segments() {
            progress(path)
            report.segmentsChecked += 1
            let file = try PosixFile(path: path, flags: O_RDONLY)
            let size = try file.size()
            do {
                _ = try SegmentHeader.decode(try file.read(at: 0, count: SegmentHeader.size), path: path)
            } catch let error {
                if case .io = error { throw error }
                report.problems.append(Problem(path: path, offset: 0, reason: error.description))
                continue
            }
            let footer = try SegmentFooter.read(from: file, fileSize: size)
            let end = footer.map { f in f.blocks.last.map { $0.offset + Int64($0.length) } ?? Int64(SegmentHeader.size) } ?? size
            if footer == nil { report.unsealed.append(path) }
            let scan = try SegmentScanner.scan(file, end: end, checkPayloads: true, resynchronize: true)
            for damage in scan.damage {
                let what = damage.isTail ? (footer == nil ? "incomplete tail" : "damaged data") : "damaged data"
                report.problems.append(
                    Problem(path: path, offset: damage.offset, reason: "\(damage.reason) (\(what), \(damage.length) bytes)"))
            }
            for block in scan.blocks {
                report.blocksChecked += 1
                report.recordsChecked += Int(block.header.recordCount)
                do {
                    let bytes = try file.read(at: block.offset + Int64(BlockHeader.size), count: block.header.payloadLength)
                    let decoded = try DecodedBlock(header: block.header, payload: bytes, decompressor: decompressor)
                    try decoded.loadMessages()
                    try decoded.loadFields()
                } catch let error as FormatError {
                    report.problems.append(Problem(path: path, offset: block.offset, reason: BlockEvaluator.describe(error)))
                } catch {
                    report.problems.append(Problem(path: path, offset: block.offset, reason: "\(error)"))
                }
            }
            if let footer {
                let indexed = Set(footer.blocks.map(\.offset))
                let found = Set(scan.blocks.map(\.offset))
                for offset in indexed.subtracting(found).sorted() {
                    report.problems.append(Problem(path: path, offset: offset, reason: "footer lists a block that is not readable there"))
                }
                for offset in found.subtracting(indexed).sorted() {
                    report.problems.append(Problem(path: path, offset: offset, reason: "block is missing from the footer index"))
                }
            }
        }
        report.quarantined = QuarantineNote.list(directory: directory)
        for temporary in layout.temporaryFiles() {
            report.problems.append(Problem(path: temporary, offset: nil, reason: "leftover temporary file (the writer removes it on its next start)"))
        }
        return report
    }
}
