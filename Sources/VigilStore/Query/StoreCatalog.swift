import Foundation

/// Where one block lives, and what its header says, so a query can plan without reading it.
public struct BlockLocation: Sendable, Equatable {
    public var segmentID: UInt64
    public var path: String
    public var offset: Int64
    public var length: Int
    public var recordCount: Int
    public var minTime: Int64
    public var maxTime: Int64
    public var sourceBytes: Int64
    public var severityMask: UInt8
}

/// One segment file as the catalog sees it, with the file held open.
///
/// The open file is what keeps a listing true: a sealed segment may be rewritten in the background
/// (catch-up blocks recompressed, small blocks compacted into fewer, which moves and renumbers
/// them) and renamed over its path, or deleted by retention. Whoever listed it reads the file it
/// listed, through this descriptor, and sees the blocks its summary names until it lets go.
public struct SegmentSummary: Sendable {
    public var id: UInt64
    public var path: String
    public var fileSize: Int64
    /// True when the segment ends with a valid footer; false for the active segment (or one awaiting recovery).
    public var sealed: Bool
    public var createdAt: Int64
    public var sealedAt: Int64?
    public var blocks: [BlockLocation]
    /// Where the blocks listed end: a follower resumes scanning an unsealed segment from here.
    public var scannedUpTo: Int64
    /// The file the summary was read from.
    let file: PosixFile
}

/// The list of every segment and block in a data directory, built from footers (sealed segments) and
/// block headers (unsealed ones). It reads a few bytes per block, never a payload.
public struct StoreCatalog: Sendable {
    public let directory: String
    public private(set) var segments: [SegmentSummary] = []
    /// Segments that could not be listed (bad header), with the reason; queries skip them.
    public private(set) var unreadable: [(path: String, reason: String)] = []

    /// Lists `directory`. Throws for I/O errors and for a segment of an unknown format version.
    public init(directory: String) throws(StoreError) {
        self.directory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .io(path: directory, operation: "open data directory", errno: ENOENT)
        }
        for (id, path) in try SegmentDirectory(path: directory).segments() {
            do {
                segments.append(try Self.summarize(id: id, path: path, resumingFrom: nil))
            } catch let error {
                if case .unsupportedVersion = error { throw error }
                if case .io(_, _, let code) = error, code == ENOENT { continue }  // deleted by retention meanwhile
                unreadable.append((path, error.description))
            }
        }
    }

    /// Reads one segment's block list. For an unsealed segment, `previous` lets a follower scan only
    /// what was appended since, in the same file (the writer seals a segment in place, so a segment
    /// followed while active is read to its end even if it is rewritten after sealing).
    static func summarize(id: UInt64, path: String, resumingFrom previous: SegmentSummary?) throws(StoreError) -> SegmentSummary {
        let file: PosixFile
        if let previous { file = previous.file } else { file = try PosixFile(path: path, flags: O_RDONLY) }
        let size = try file.size()
        let header = try SegmentHeader.decode(try file.read(at: 0, count: SegmentHeader.size), path: path)
        if let footer = try SegmentFooter.read(from: file, fileSize: size) {
            let blocks = footer.blocks.map { entry in
                BlockLocation(
                    segmentID: id, path: path, offset: entry.offset, length: Int(entry.length), recordCount: Int(entry.recordCount),
                    minTime: entry.minTime, maxTime: entry.maxTime, sourceBytes: Int64(entry.sourceBytes),
                    severityMask: entry.severityMask)
            }
            return SegmentSummary(
                id: id, path: path, fileSize: size, sealed: true, createdAt: header.createdAt, sealedAt: footer.sealedAt,
                blocks: blocks, scannedUpTo: blocks.last.map { $0.offset + Int64($0.length) } ?? Int64(SegmentHeader.size),
                file: file)
        }
        var summary = previous ?? SegmentSummary(
            id: id, path: path, fileSize: size, sealed: false, createdAt: header.createdAt, sealedAt: nil, blocks: [],
            scannedUpTo: Int64(SegmentHeader.size), file: file)
        summary.fileSize = size
        var offset = summary.scannedUpTo
        while offset < size, case .success(let h) = try SegmentScanner.check(file, at: offset, end: size, checkPayload: false) {
            summary.blocks.append(
                BlockLocation(
                    segmentID: id, path: path, offset: offset, length: h.totalLength, recordCount: Int(h.recordCount),
                    minTime: h.minTime, maxTime: h.maxTime, sourceBytes: Int64(h.sourceBytes), severityMask: h.severityMask))
            offset += Int64(h.totalLength)
        }
        summary.scannedUpTo = offset
        return summary
    }

    /// The files listed, by path: a reader reads blocks through these.
    var files: [String: PosixFile] { Dictionary(segments.map { ($0.path, $0.file) }, uniquingKeysWith: { first, _ in first }) }

    /// Every block, in segment and file order.
    public var blocks: [BlockLocation] { segments.flatMap(\.blocks) }

    public var recordCount: Int { segments.reduce(0) { $0 + $1.blocks.reduce(0) { $0 + $1.recordCount } } }
}
