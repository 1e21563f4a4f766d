import Foundation
import Logging
import VigilCore

/// Appends blocks to the active segment, seals it (footer) when it is full or old, and starts the next.
///
/// Not thread-safe: `StoreWriter` owns one and calls it from its serial queue only.
final class SegmentWriter {
    /// A block is cut after this many records…
    static let maxBlockRecords = 32_768
    /// …or once its messages and fields add up to this many bytes.
    static let maxBlockBytes = 4 << 20

    private struct ActiveSegment {
        let id: UInt64
        let file: PosixFile
        let createdAt: Int64
        var size: Int64
        var blocks: [BlockIndexEntry]
    }

    let directory: SegmentDirectory
    private(set) var configuration: StoreConfiguration
    private let logger: Logger
    private var encoder: BlockEncoder
    private var active: ActiveSegment?
    private var nextID: UInt64
    private var buffer: [UInt8] = []
    private var unsyncedBytes = false

    init(directory: SegmentDirectory, configuration: StoreConfiguration, nextID: UInt64, logger: Logger) {
        self.directory = directory
        self.configuration = configuration
        self.nextID = nextID
        self.logger = logger
        encoder = BlockEncoder(codec: configuration.codec, zstdLevel: configuration.zstdLevel)
    }

    /// Changes codec, sizes and retention for what is written from now on.
    func reconfigure(_ configuration: StoreConfiguration) {
        if configuration.codec != self.configuration.codec || configuration.zstdLevel != self.configuration.zstdLevel {
            encoder = BlockEncoder(codec: configuration.codec, zstdLevel: configuration.zstdLevel)
        }
        self.configuration = configuration
    }

    var hasUnsyncedData: Bool { unsyncedBytes }

    /// Writes `records` as one or more blocks to the active segment (not yet fsynced).
    func write(_ records: [LogRecord], sourceSizes: [Int]) throws(StoreError) {
        var start = 0
        while start < records.count {
            var end = start
            var bytes = 0
            while end < records.count, end - start < Self.maxBlockRecords, bytes < Self.maxBlockBytes {
                bytes += records[end].message.utf8.count + 16 + records[end].fields.utf8Count + 2 * records[end].fields.count
                end += 1
            }
            try writeBlock(records[start..<end], sourceSizes: sourceSizes[start..<end])
            start = end
        }
    }

    private func writeBlock(_ records: ArraySlice<LogRecord>, sourceSizes: ArraySlice<Int>) throws(StoreError) {
        var segment = try activeSegment()
        buffer.removeAll(keepingCapacity: true)
        let header = try encoder.encode(records, sourceSizes: sourceSizes, into: &buffer)
        do {
            try segment.file.write(buffer, at: segment.size)
        } catch {
            // Leave no partial block behind: the next block starts where this one did.
            try? segment.file.truncate(to: segment.size)
            throw error
        }
        segment.blocks.append(BlockIndexEntry(offset: segment.size, header: header))
        segment.size += Int64(buffer.count)
        unsyncedBytes = true
        active = segment
        if segment.size >= configuration.segmentMaxBytes { try seal() }
    }

    /// fsyncs what was written since the last sync.
    func sync() throws(StoreError) {
        guard unsyncedBytes, let active else {
            unsyncedBytes = false
            return
        }
        try active.file.sync()
        unsyncedBytes = false
    }

    /// Seals the active segment when it has grown past its age limit.
    func sealIfOld(now: Int64) throws(StoreError) {
        if let active, !active.blocks.isEmpty, now - active.createdAt >= configuration.segmentMaxAge { try seal() }
    }

    /// Writes the footer of the active segment and fsyncs it; the next write starts a new segment.
    func seal() throws(StoreError) {
        guard let segment = active else { return }
        let footer = SegmentFooter(blocks: segment.blocks, sealedAt: Self.now())
        try segment.file.write(footer.encode(at: segment.size), at: segment.size)
        try segment.file.sync()
        unsyncedBytes = false
        active = nil
        logger.debug("sealed segment", metadata: ["segment": "\(segment.file.path)", "blocks": "\(segment.blocks.count)"])
    }

    /// The active segment, created (published atomically: temporary name, fsync, rename, fsync of the
    /// directory) when there is none.
    private func activeSegment() throws(StoreError) -> ActiveSegment {
        if let active { return active }
        let id = nextID
        nextID += 1
        let path = directory.segmentPath(id)
        let temporary = path + ".tmp"
        let createdAt = Self.now()
        let file = try PosixFile(path: temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
        try file.write(SegmentHeader(segmentID: id, createdAt: createdAt).encode(), at: 0)
        try file.sync()
        guard rename(temporary, path) == 0 else { throw .io(path: temporary, operation: "rename", errno: errno) }
        try PosixFile.syncDirectory(directory.path)
        let segment = ActiveSegment(id: id, file: file, createdAt: createdAt, size: Int64(SegmentHeader.size), blocks: [])
        active = segment
        return segment
    }

    /// The id of the segment being written, if any (retention never deletes it).
    var activeSegmentID: UInt64? { active?.id }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
