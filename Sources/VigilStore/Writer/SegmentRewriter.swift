import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization
import VigilCore

/// Rewrites sealed segments in the background, one at a time, on a queue of its own:
///
/// - **recompression**: catch-up blocks (written with the fast catch-up codec while the writer was
///   behind) are recompressed with the configured codec;
/// - **compaction**: runs of small blocks (live ingestion commits a block per request or per
///   commit delay) are merged into blocks of the size a bulk import writes, so a segment filled by
///   a trickle compresses like one filled at once.
///
/// Both wait until the writer has not been behind for `quietPeriod` (and stop part way when it
/// falls behind again), and run on a thread of their own at nice 10 (`BackgroundThread`), so they
/// take the CPU only when ingestion leaves it idle. Recompression keeps every block's position (same blocks, same order);
/// compaction renumbers blocks, so segments from `holdCompaction(from:)` on (the ones the fleet
/// forwarder has not passed yet) are only recompressed and wait for their compaction.
///
/// A segment is rewritten into `<segment>.recompress.tmp` (fsynced), which the writer then renames
/// over the segment on its own queue, so retention never races a rewrite: a segment deleted
/// meanwhile is not brought back. A crash leaves at most the temporary file, which recovery removes.
/// Records, their order within equal times and the blocks' time ranges are kept; a block that fails
/// its checksum is copied as it is, for `vigil verify` to report. Readers hold the file they listed
/// (`SegmentSummary`), so a rename under a query changes nothing it reads.
final class SegmentRewriter: Sendable {
    /// Renames a finished temporary file over its segment, or removes it when the segment is gone
    /// or the store closed; true when the segment was replaced.
    typealias Publish = @Sendable (_ temporary: String, _ segment: String) -> Bool

    private struct State {
        var queued: [String] = []
        /// Segments with small blocks whose compaction waits for `holdFrom` to pass them.
        var held: [String] = []
        var running = false
        var stopped = false
        /// The writer's last commit found it behind.
        var writerBehind = false
        /// When the writer was last behind (`DispatchTime` nanoseconds; the start counts as such,
        /// so leftovers wait too).
        var lastBehind = DispatchTime.now().uptimeNanoseconds
        var quietPeriod: UInt64
        var codec: CompressionCodec
        var zstdLevel: Int
        var compact: Bool
        /// Segments with this id and later are not compacted (nil: none held).
        var holdFrom: UInt64?

        var mayRun: Bool { !writerBehind && DispatchTime.now().uptimeNanoseconds &- lastBehind >= quietPeriod }

        /// True when no drain is running (and marks one as running): the caller starts it.
        mutating func claimRun() -> Bool {
            guard !running else { return false }
            running = true
            return true
        }

        func mayCompact(_ segment: String) -> Bool {
            guard compact else { return false }
            guard let holdFrom else { return true }
            return SegmentDirectory.id(ofPath: segment).map { $0 < holdFrom } ?? false
        }
    }

    /// What rewriting one segment came to.
    enum Outcome: Equatable {
        /// Written to the temporary file: `blocks` catch-up blocks recompressed (on their own or
        /// merged), and `merged` small blocks merged into `into` blocks.
        case rewritten(blocks: Int, merged: Int = 0, into: Int = 0)
        /// The segment holds no catch-up block and nothing to compact (or is not sealed, or is gone).
        case nothingToDo
        /// Stopped part way because the writer fell behind or the store closed.
        case interrupted
    }

    /// How long the rewriter waits before looking again while the writer is behind.
    static let retryDelay = Duration.seconds(1)

    /// The nice value of the rewriter's thread: rewrites take the CPU only when ingestion leaves
    /// it idle.
    static let niceness: Int32 = 10

    private let state: Mutex<State>
    private let queue = BackgroundThread(name: "vigil-rewrite", niceness: SegmentRewriter.niceness)
    private let publish: Publish
    private let logger: Logger
    private let recompressed = Counter(label: "vigil_store_recompressed_segments_total")
    private let compacted = Counter(label: "vigil_store_compacted_segments_total")

    init(
        codec: CompressionCodec, zstdLevel: Int, quietPeriod: Int64, compact: Bool, holdingCompaction: Bool = false,
        logger: Logger, publish: @escaping Publish
    ) {
        state = Mutex(
            State(
                quietPeriod: UInt64(max(0, quietPeriod)), codec: codec, zstdLevel: zstdLevel, compact: compact,
                holdFrom: holdingCompaction ? 0 : nil))
        self.publish = publish
        self.logger = logger
    }

    /// Queues segments for rewriting (each once).
    func enqueue(_ segments: [String]) {
        guard !segments.isEmpty else { return }
        let start = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            for segment in segments where !state.queued.contains(segment) { state.queued.append(segment) }
            return state.claimRun()
        }
        if start { queue.async { self.drain() } }
    }

    /// Looks through the sealed segments of `directory` for catch-up blocks and small blocks (left by
    /// a previous run) and queues those segments, in the background.
    func enqueueLeftovers(in directory: SegmentDirectory) {
        queue.async {
            let found = ((try? directory.segments()) ?? []).map(\.path).filter { Self.needsRewrite($0) }
            self.enqueue(found)
        }
    }

    /// Records whether the writer is behind (rewrites wait while it is, and `quietPeriod` after).
    func setWriterBehind(_ behind: Bool) {
        state.withLock { state in
            state.writerBehind = behind
            if behind { state.lastBehind = DispatchTime.now().uptimeNanoseconds }
        }
    }

    /// Compacts no segment from `segment` on (nil: any), and queues the held segments before it.
    func holdCompaction(from segment: UInt64?) {
        let start = state.withLock { state -> Bool in
            state.holdFrom = segment
            let released = state.held.filter { state.mayCompact($0) }
            guard !released.isEmpty, !state.stopped else { return false }
            state.held.removeAll { released.contains($0) }
            for path in released where !state.queued.contains(path) { state.queued.append(path) }
            return state.claimRun()
        }
        if start { queue.async { self.drain() } }
    }

    /// Rewrites later segments with this codec and level, after this quiet period.
    func reconfigure(codec: CompressionCodec, zstdLevel: Int, quietPeriod: Int64, compact: Bool) {
        state.withLock {
            $0.codec = codec
            $0.zstdLevel = zstdLevel
            $0.quietPeriod = UInt64(max(0, quietPeriod))
            $0.compact = compact
        }
    }

    /// Stops: a rewrite in progress is abandoned (its temporary file removed) and nothing more runs.
    /// Returns once the background queue is idle.
    func stop() async {
        halt()
        await queue.finishQueuedWork()
    }

    /// Stops without waiting for the background queue.
    func halt() {
        state.withLock {
            $0.stopped = true
            $0.queued = []
            $0.held = []
        }
    }

    /// Rewrites queued segments until none is left, waiting while the writer is behind and for
    /// `quietPeriod` after.
    private func drain() {
        while true {
            let next = state.withLock { state -> (String, CompressionCodec, Int, Bool, Bool)? in
                guard !state.stopped, let segment = state.queued.first else {
                    state.running = false
                    return nil
                }
                return (segment, state.codec, state.zstdLevel, state.mayCompact(segment), state.mayRun)
            }
            guard let (segment, codec, level, compact, mayRun) = next else { return }
            if !mayRun {
                queue.asyncAfter(Self.retryDelay) { self.drain() }
                return
            }
            let temporary = segment + ".recompress.tmp"
            let shouldStop = { self.state.withLock { $0.stopped || $0.writerBehind } }
            var holdForCompaction = false
            do {
                switch try Self.rewrite(segment, into: temporary, codec: codec, zstdLevel: level, compact: compact, shouldStop: shouldStop) {
                case .rewritten(let blocks, let merged, let into):
                    if publish(temporary, segment) {
                        if blocks > 0 { recompressed.increment() }
                        if merged > 0 { compacted.increment() }
                        logger.info(
                            merged > 0 ? "compacted segment" : "recompressed catch-up blocks",
                            metadata: [
                                "segment": "\(segment)", "recompressed_blocks": "\(blocks)", "merged_blocks": "\(merged)",
                                "into_blocks": "\(into)", "codec": "\(codec)",
                            ])
                    } else {
                        break
                    }
                    holdForCompaction = !compact && Self.hasSmallBlocks(segment)
                case .nothingToDo:
                    holdForCompaction = !compact && Self.hasSmallBlocks(segment)
                case .interrupted:
                    unlink(temporary)
                    continue  // the segment stays queued; the loop checks whether to wait
                }
            } catch {
                unlink(temporary)
                logger.warning("could not rewrite segment", metadata: ["segment": "\(segment)", "error": "\(error)"])
            }
            state.withLock { state in
                state.queued.removeAll { $0 == segment }
                // Held only while compaction is on and the segment is still behind the hold.
                if holdForCompaction, state.compact, !state.mayCompact(segment), !state.held.contains(segment) {
                    state.held.append(segment)
                }
            }
        }
    }

    /// Whether the sealed segment at `path` holds a catch-up block or runs of small blocks (false
    /// when it cannot be read).
    static func needsRewrite(_ path: String) -> Bool {
        guard let segment = sealed(path) else { return false }
        return hasRunsOfSmallBlocks(segment.footer.blocks) || hasCatchUpBlocks(segment)
    }

    /// Whether the sealed segment at `path` holds a catch-up block (false when it cannot be read).
    static func hasCatchUpBlocks(_ path: String) -> Bool {
        sealed(path).map(hasCatchUpBlocks) ?? false
    }

    /// Whether the sealed segment at `path` holds blocks that compaction would merge.
    static func hasSmallBlocks(_ path: String) -> Bool {
        sealed(path).map { hasRunsOfSmallBlocks($0.footer.blocks) } ?? false
    }

    /// Whether compaction would merge some of these blocks.
    static func hasRunsOfSmallBlocks(_ entries: [BlockIndexEntry]) -> Bool {
        mergeGroups(entries).contains { $0.count > 1 }
    }

    /// The sealed segment at `path`, opened, with its size and footer; nil when it cannot be read.
    private static func sealed(_ path: String) -> (file: PosixFile, size: Int64, footer: SegmentFooter)? {
        guard let file = try? PosixFile(path: path, flags: O_RDONLY), let size = try? file.size(),
            let footer = try? SegmentFooter.read(from: file, fileSize: size)
        else { return nil }
        return (file, size, footer)
    }

    private static func hasCatchUpBlocks(_ segment: (file: PosixFile, size: Int64, footer: SegmentFooter)) -> Bool {
        let headers = try? SegmentScanner.headers(segment.file, at: segment.footer.blocks.map(\.offset), end: segment.size)
        return headers?.contains { $0?.isCatchUp == true } ?? false
    }

    /// A block is small when it holds less than half of what the writer puts in a full block.
    static func isSmall(_ entry: BlockIndexEntry) -> Bool {
        Int(entry.recordCount) < SegmentWriter.maxBlockRecords / 2 && Int(entry.sourceBytes) < SegmentWriter.maxBlockBytes / 2
    }

    /// The blocks of a segment cut into what the rewrite writes as one block each: a run of
    /// consecutive small blocks packed up to a full block's records and bytes (reckoned as the
    /// writer does), every other block on its own. `usable` rules blocks out of merging.
    static func mergeGroups(_ entries: [BlockIndexEntry], usable: (Int) -> Bool = { _ in true }) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0
        var records = 0
        var bytes = 0
        for index in entries.indices {
            let entry = entries[index]
            let mergeable = isSmall(entry) && usable(index)
            let entryBytes = Int(entry.sourceBytes) + 16 * Int(entry.recordCount)
            let fits = records + Int(entry.recordCount) <= SegmentWriter.maxBlockRecords && bytes + entryBytes <= SegmentWriter.maxBlockBytes
            if index > start, !(mergeable && fits && isSmall(entries[start]) && usable(start)) {
                groups.append(start..<index)
                start = index
                records = 0
                bytes = 0
            }
            records += Int(entry.recordCount)
            bytes += entryBytes
        }
        if start < entries.count { groups.append(start..<entries.count) }
        return groups
    }

    /// Writes a copy of the sealed segment at `path` to `temporary`, its catch-up blocks
    /// recompressed with `codec` and, with `compact`, its runs of small blocks merged, and fsyncs
    /// it. `shouldStop` is asked before each block.
    static func rewrite(
        _ path: String, into temporary: String, codec: CompressionCodec, zstdLevel: Int, compact: Bool = false,
        shouldStop: () -> Bool
    ) throws(StoreError) -> Outcome {
        let source: PosixFile
        do {
            source = try PosixFile(path: path, flags: O_RDONLY)
        } catch {
            if case .io(_, _, let code) = error, code == ENOENT { return .nothingToDo }  // deleted by retention
            throw error
        }
        let size = try source.size()
        guard let footer = try SegmentFooter.read(from: source, fileSize: size) else { return .nothingToDo }
        let headers = try SegmentScanner.headers(source, at: footer.blocks.map(\.offset), end: size)
        let groups =
            compact
            ? mergeGroups(footer.blocks) { index in headers[index].map { Int($0.totalLength) == Int(footer.blocks[index].length) } ?? false }
            : footer.blocks.indices.map { $0..<($0 + 1) }
        guard headers.contains(where: { $0?.isCatchUp == true }) || groups.contains(where: { $0.count > 1 }) else { return .nothingToDo }

        let output = try PosixFile(path: temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
        try output.write(try source.read(at: 0, count: SegmentHeader.size), at: 0)
        var offset = Int64(SegmentHeader.size)
        var entries: [BlockIndexEntry] = []
        var recompressedBlocks = 0
        var merged = 0
        var mergedInto = 0
        let compressor = BlockCompressor(codec: codec, zstdLevel: zstdLevel)
        let decompressor = BlockDecompressor()
        let encoder = BlockEncoder(codec: codec, zstdLevel: zstdLevel)
        func append(_ block: [UInt8], _ entry: BlockIndexEntry) throws(StoreError) {
            try output.write(block, at: offset)
            var rewrittenEntry = entry
            rewrittenEntry.offset = offset
            rewrittenEntry.length = UInt32(block.count)
            entries.append(rewrittenEntry)
            offset += Int64(block.count)
        }
        /// Appends one block as it is, or recompressed when it is a sound catch-up block.
        func copy(_ index: Int, _ bytes: [UInt8]) throws(StoreError) {
            var block = bytes
            if case .success(let header) = StoreBlockFeed.check(block), header.isCatchUp {
                block = try recompress(block, header: header, compressor: compressor, decompressor: decompressor)
                recompressedBlocks += 1
            }
            try append(block, footer.blocks[index])
        }
        /// Appends a run of sound blocks merged into one (copied one by one should one not decode).
        func merge(_ run: [(index: Int, bytes: [UInt8], header: BlockHeader)]) throws(StoreError) {
            if run.count > 1, let block = try mergedBlock(run.map { ($0.bytes, $0.header) }, encoder: encoder, decompressor: decompressor) {
                try append(block.bytes, BlockIndexEntry(offset: 0, header: block.header))
                merged += run.count
                mergedInto += 1
                // Catch-up blocks merged are encoded again with the configured codec: recompressed too.
                recompressedBlocks += run.filter(\.header.isCatchUp).count
                return
            }
            for block in run { try copy(block.index, block.bytes) }
        }
        for group in groups {
            if shouldStop() { return .interrupted }
            var run: [(index: Int, bytes: [UInt8], header: BlockHeader)] = []
            for index in group {
                let entry = footer.blocks[index]
                let bytes = try source.read(at: entry.offset, count: Int(entry.length))
                guard group.count > 1, case .success(let header) = StoreBlockFeed.check(bytes) else {
                    // A single block, or a damaged one, which breaks the run it is in.
                    try merge(run)
                    run = []
                    try copy(index, bytes)
                    continue
                }
                run.append((index, bytes, header))
            }
            try merge(run)
        }
        try output.write(SegmentFooter(blocks: entries, sealedAt: footer.sealedAt).encode(at: offset), at: offset)
        try output.sync()
        return .rewritten(blocks: recompressedBlocks, merged: merged, into: mergedInto)
    }

    /// Sound blocks decoded and encoded again as one block (records in time order, equal times
    /// in store order), nil when one of them does not decode.
    private static func mergedBlock(
        _ blocks: [(bytes: [UInt8], header: BlockHeader)], encoder: BlockEncoder, decompressor: BlockDecompressor
    ) throws(StoreError) -> (bytes: [UInt8], header: BlockHeader)? {
        var records: [LogRecord] = []
        var sourceSizes: [Int] = []
        for (bytes, header) in blocks {
            guard let block = try? DecodedBlock(header: header, block: bytes, decompressor: decompressor),
                (try? block.loadMessages()) != nil, (try? block.loadFields()) != nil
            else { return nil }
            for i in 0..<block.count {
                guard let record = try? block.record(at: i) else { return nil }
                records.append(record)
                sourceSizes.append(block.sourceSize(at: i))
            }
        }
        var output: [UInt8] = []
        let header = try encoder.encode(records[...], sourceSizes: sourceSizes[...], into: &output)
        return (output, header)
    }

    /// One catch-up block (header and payload) recompressed with `compressor`, no longer marked.
    private static func recompress(
        _ block: [UInt8], header: BlockHeader, compressor: BlockCompressor, decompressor: BlockDecompressor
    ) throws(StoreError) -> [UInt8] {
        let (compressedMeta, compressedMessages, compressedFields) = header.compressedLengths
        let compressed = [Int(compressedMeta), Int(compressedMessages), Int(compressedFields)]
        let raw = [Int(header.rawLengths.meta), Int(header.rawLengths.messages), Int(header.rawLengths.fields)]
        var payload: [UInt8] = []
        var lengths: [Int] = []
        var column: [UInt8] = []
        var start = BlockHeader.size
        for group in 0..<3 {
            var failure: FormatError?
            block.withUnsafeBytes { bytes in
                do throws(FormatError) {
                    try decompressor.decompress(
                        UnsafeRawBufferPointer(rebasing: bytes[start..<(start + compressed[group])]), codec: header.codec,
                        rawLength: raw[group], into: &column)
                } catch {
                    failure = error
                }
            }
            if let failure { throw .compression("catch-up block: \(failure)") }
            lengths.append(try compressor.compress(column, appendingTo: &payload))
            start += compressed[group]
        }
        var rewritten = header
        rewritten.codec = compressor.codec
        rewritten.isCatchUp = false
        rewritten.compressedLengths = (UInt32(lengths[0]), UInt32(lengths[1]), UInt32(lengths[2]))
        rewritten.payloadChecksum = CRC32C.checksum(payload)
        var bytes = ByteWriter(capacity: BlockHeader.size + payload.count)
        rewritten.encode(into: &bytes)
        bytes.append(payload)
        return bytes.bytes
    }
}
