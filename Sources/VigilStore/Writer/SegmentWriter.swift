import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization
import VigilCore

/// Appends blocks to the active segment, seals it (footer) when it is full or old, and starts the next.
///
/// Not thread-safe: `StoreWriter` owns one and calls it from its serial queue only.
final class SegmentWriter {
    /// A block is cut after this many records…
    static let maxBlockRecords = 32_768
    /// …or once its messages and fields add up to this many bytes.
    static let maxBlockBytes = 4 << 20
    /// Blocks of commits holding records from senders that do not wait (syslog over UDP) are cut
    /// after this many records instead: such commits are large only under a flood, when two
    /// blocks of up to 32,768 records encoded at once held about 10 MiB of column and output
    /// buffers (under 310k datagrams/s, vigild's peak RSS was about 7 MiB lower with this cut).
    static let floodBlockRecords = 4096
    /// A commit of at least this many records is cut into two blocks, encoded at once when there
    /// are two encoding threads.
    static let parallelEncodingRecords = 8192
    /// Blocks encoded at once, each with its own encoder: two on a machine with three CPUs or more,
    /// one on a machine with two or one, where a second encoding thread only takes CPU from the
    /// inputs' threads, which need it at once when datagrams arrive (measured: bench/history/).
    static let defaultEncodingThreads = ProcessInfo.processInfo.activeProcessorCount > 2 ? 2 : 1

    private struct ActiveSegment {
        let id: UInt64
        let file: PosixFile
        let createdAt: Int64
        var size: Int64
        var blocks: [BlockIndexEntry]
        /// Blocks written with the catch-up codec.
        var catchUpBlocks = 0
    }

    let directory: SegmentDirectory
    private(set) var configuration: StoreConfiguration
    private let logger: Logger
    /// One encoder and reused buffers per encoding thread (each encoder holds a zstd context).
    private var slots: [EncodingSlot]
    private var active: ActiveSegment?
    private var nextID: UInt64
    private var unsyncedBytes = false
    /// Sealed segments whose footers are written but not yet fsynced.
    private var unsyncedSealed: [PosixFile] = []
    /// A segment was renamed into place and the directory is not yet fsynced.
    private var unsyncedDirectory = false
    /// Creates each next segment's file in the background.
    private let preparer: SegmentPreparer
    private let catchUpBlocks = Counter(label: "vigil_store_catch_up_blocks_total")
    /// Sealed segments holding catch-up blocks or runs of small blocks, not yet handed to the rewriter.
    private var sealedForRewrite: [String] = []

    init(
        directory: SegmentDirectory, configuration: StoreConfiguration, nextID: UInt64, logger: Logger,
        encodingThreads: Int = defaultEncodingThreads
    ) {
        precondition(encodingThreads >= 1)
        self.directory = directory
        self.configuration = configuration
        self.nextID = nextID
        self.logger = logger
        slots = EncodingSlot.make(encodingThreads, configuration)
        preparer = SegmentPreparer(directory: directory, logger: logger)
        preparer.prepare(nextID)
    }

    /// What a sync elsewhere (`BackgroundSync`) must make durable: segment files and the directory.
    struct PendingSync: Sendable {
        var files: [PosixFile]
        /// The data directory, when a segment was renamed into it since its last fsync.
        var directory: String?
    }

    /// Changes codec, sizes and retention for what is written from now on.
    func reconfigure(_ configuration: StoreConfiguration) {
        if configuration.codec != self.configuration.codec || configuration.zstdLevel != self.configuration.zstdLevel
            || configuration.catchUpCodec != self.configuration.catchUpCodec
        {
            slots = EncodingSlot.make(slots.count, configuration)
        }
        self.configuration = configuration
    }

    var hasUnsyncedData: Bool { unsyncedBytes }

    /// Writes `records` as one or more blocks of at most `blockRecords` records to the active
    /// segment (not yet fsynced); with `catchingUp`, in the catch-up codec (when there is one).
    func write(_ records: RecordBatches, catchingUp: Bool = false, blockRecords: Int = maxBlockRecords) throws(StoreError) {
        let catchUp = catchingUp && configuration.distinctCatchUpCodec != nil
        var ranges = records.blockRanges(maxRecords: blockRecords, maxBytes: Self.maxBlockBytes)
        // One large block becomes two halves (encoded at once when there are two encoding threads;
        // one after the other they still keep the column buffers half as large).
        if ranges.count == 1, records.count >= Self.parallelEncodingRecords {
            let middle = records.count / 2
            ranges = [0..<middle, middle..<records.count]
        }
        var next = 0
        while next < ranges.count {
            let group = Array(ranges[next..<min(next + slots.count, ranges.count)])
            try writeBlocks(group, of: records, catchUp: catchUp)
            next += group.count
        }
    }

    /// Encodes up to `slots.count` blocks at once (one per slot), then appends them in order.
    private func writeBlocks(_ blocks: [Range<Int>], of records: RecordBatches, catchUp: Bool) throws(StoreError) {
        precondition(blocks.count <= slots.count)
        let slots = slots
        if blocks.count == 1 {
            slots[0].encode(blocks[0], of: records, catchUp: catchUp)
        } else {
            DispatchQueue.concurrentPerform(iterations: blocks.count) { index in
                slots[index].encode(blocks[index], of: records, catchUp: catchUp)
            }
        }
        for index in blocks.indices {
            try slots[index].withEncoded { (block, header) throws(StoreError) in try append(block, header: header.get()) }
        }
    }

    /// Appends one encoded block to the active segment.
    private func append(_ block: [UInt8], header: BlockHeader) throws(StoreError) {
        var segment = try activeSegment()
        do {
            try segment.file.write(block, at: segment.size)
        } catch {
            // Leave no partial block behind: the next block starts where this one did.
            try? segment.file.truncate(to: segment.size)
            throw error
        }
        // Let go of `active` first, so the block index has one owner and the append below grows it in
        // place: with both holding it, every append copied the whole index (a segment of small blocks
        // then costs time quadratic in its blocks).
        active = nil
        segment.blocks.append(BlockIndexEntry(offset: segment.size, header: header))
        if header.isCatchUp {
            segment.catchUpBlocks += 1
            catchUpBlocks.increment()
        }
        segment.size += Int64(block.count)
        unsyncedBytes = true
        active = segment
        if segment.size >= configuration.segmentMaxBytes { try seal() }
    }

    /// What a sync elsewhere must fsync for everything written so far to be durable (segments
    /// sealed since the last sync, the active one, the directory); nil when nothing is open or
    /// waiting. The writer counts it all as synced from here on.
    func handOffSync() -> PendingSync? {
        let work = PendingSync(
            files: unsyncedSealed + (active.map { [$0.file] } ?? []), directory: unsyncedDirectory ? directory.path : nil)
        unsyncedBytes = false
        unsyncedSealed = []
        unsyncedDirectory = false
        return work.files.isEmpty && work.directory == nil ? nil : work
    }

    /// fsyncs what was written since the last sync: segments sealed since, the directory they
    /// were published in, and the active segment.
    func sync() throws(StoreError) {
        while let file = unsyncedSealed.first {
            try file.sync()
            unsyncedSealed.removeFirst()
        }
        if unsyncedDirectory {
            try PosixFile.syncDirectory(directory.path)
            unsyncedDirectory = false
        }
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

    /// Writes the footer of the active segment; the next write starts a new segment. The footer is
    /// fsynced with the next `sync` (or the next handed-off one), as the records before it are:
    /// recovery rebuilds a footer a crash lost.
    func seal() throws(StoreError) {
        guard let segment = active else { return }
        let footer = SegmentFooter(blocks: segment.blocks, sealedAt: WallClock.now())
        try segment.file.write(footer.encode(at: segment.size), at: segment.size)
        unsyncedSealed.append(segment.file)
        unsyncedBytes = false
        active = nil
        // The file was opened under its temporary name; `directory` names it as published.
        let path = directory.segmentPath(segment.id)
        if segment.catchUpBlocks > 0 || SegmentRewriter.hasRunsOfSmallBlocks(segment.blocks) {
            sealedForRewrite.append(path)
        }
        logger.debug("sealed segment", metadata: ["segment": "\(path)", "blocks": "\(segment.blocks.count)"])
    }

    /// The active segment, started when there is none: the file prepared in the background (or,
    /// when none is ready, created here: header written and fsynced under a temporary name), renamed
    /// into place. A renamed file always has a valid header. The directory is fsynced with the next
    /// sync, before any record in the segment is acknowledged; the next segment's file is prepared.
    private func activeSegment() throws(StoreError) -> ActiveSegment {
        if let active { return active }
        let id = nextID
        nextID += 1
        let path = directory.segmentPath(id)
        let createdAt = WallClock.now()
        let header = SegmentHeader(segmentID: id, createdAt: createdAt).encode()
        let file: PosixFile
        let source: String
        if let prepared = preparer.take(id) {
            // Its header, fsynced with the time it was prepared, gets the time the segment starts:
            // after a crash either one is there, and both are valid.
            try prepared.write(header, at: 0)
            file = prepared
            source = directory.sparePath(id)
        } else {
            source = path + ".tmp"
            file = try PosixFile(path: source, flags: O_RDWR | O_CREAT | O_TRUNC)
            try file.write(header, at: 0)
            try file.sync()
        }
        guard rename(source, path) == 0 else { throw .io(path: source, operation: "rename", errno: errno) }
        unsyncedDirectory = true
        unsyncedBytes = true
        preparer.prepare(nextID)
        let segment = ActiveSegment(id: id, file: file, createdAt: createdAt, size: Int64(SegmentHeader.size), blocks: [])
        active = segment
        return segment
    }

    /// Removes the prepared file of a segment that will not start (the writer is closing).
    func discardSpare() {
        preparer.discard()
    }

    /// The segments sealed with catch-up blocks or runs of small blocks since the last call.
    func takeSealedForRewrite() -> [String] {
        defer { sealedForRewrite = [] }
        return sealedForRewrite
    }

    /// The id of the segment being written, if any (retention never deletes it).
    var activeSegmentID: UInt64? { active?.id }
}

/// An encoder with the buffers it reuses from block to block (its output, the columns, and room to
/// gather a block's records from several batches) and its last result, used by one encoding thread
/// at a time: the mutex makes handing it between the writer's queue and `concurrentPerform`'s
/// threads safe.
private final class EncodingSlot: Sendable {
    private struct State {
        let encoder: BlockEncoder
        /// For blocks written while the store catches up, when it has a codec for them.
        let catchUpEncoder: BlockEncoder?
        var buffer: [UInt8] = []
        /// The columns both encoders build their blocks in, reused from block to block.
        var columns = BlockColumns()
        /// Where a block's records are copied together when they come from several batches.
        var gathered = GatheredRecords()
        var header: Result<BlockHeader, StoreError> = .failure(.compression("no block encoded"))
    }

    private let state: Mutex<State>
    /// The most room for messages, fields and meta a slot keeps between blocks.
    static let keptColumnBytes = 2 << 20

    private init(_ configuration: StoreConfiguration) {
        let catchUpCodec = configuration.distinctCatchUpCodec
        state = Mutex(
            State(
                encoder: BlockEncoder(codec: configuration.codec, zstdLevel: configuration.zstdLevel),
                catchUpEncoder: catchUpCodec.map { BlockEncoder(codec: $0, zstdLevel: configuration.zstdLevel, catchUp: true) }))
    }

    static func make(_ count: Int, _ configuration: StoreConfiguration) -> [EncodingSlot] {
        (0..<count).map { _ in EncodingSlot(configuration) }
    }

    /// Encodes the records in `range` of `records` as one block into the slot's buffer, with the
    /// catch-up encoder when asked and present.
    func encode(_ range: Range<Int>, of records: RecordBatches, catchUp: Bool) {
        state.withLock { state in
            state.buffer.removeAll(keepingCapacity: true)
            let encoder = catchUp ? state.catchUpEncoder ?? state.encoder : state.encoder
            // The buffers are moved out of `state` for the encoding closure (which may not touch
            // `state` while `withRecords` has its `gathered` buffer) and back in after.
            var (buffer, columns, gathered) = (state.buffer, state.columns, state.gathered)
            (state.buffer, state.columns, state.gathered) = ([], BlockColumns(), GatheredRecords())
            state.header = records.withRecords(in: range, gatheringInto: &gathered) { records, sourceSizes in
                Result { () throws(StoreError) in
                    try encoder.encode(records, sourceSizes: sourceSizes, into: &buffer, columns: &columns)
                }
            }
            columns.release(ifLargerThan: SegmentWriter.floodBlockRecords, bytes: Self.keptColumnBytes)
            (state.buffer, state.columns, state.gathered) = (buffer, columns, gathered)
        }
    }

    /// Runs `body` with the last encoded block and its header (or the encoding error).
    func withEncoded(_ body: ([UInt8], Result<BlockHeader, StoreError>) throws(StoreError) -> Void) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in try body(state.buffer, state.header) }
    }
}
