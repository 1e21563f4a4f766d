import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization
import VigilCore

/// Rewrites sealed segments that hold catch-up blocks (written with the fast catch-up codec while
/// the writer was behind), recompressing those blocks with the configured codec, one segment at a
/// time on a background queue, once the writer has not been behind for `quietPeriod` (and
/// stopping part way when it falls behind again).
///
/// A segment is rewritten into `<segment>.recompress.tmp` (fsynced), which the writer then renames
/// over the segment on its own queue, so retention never races a rewrite: a segment deleted
/// meanwhile is not brought back. A crash leaves at most the temporary file, which recovery removes.
/// Blocks keep their order, records and time ranges; a block that fails its checksum is copied as
/// it is, for `vigil verify` to report.
final class SegmentRecompressor: Sendable {
    /// Renames a finished temporary file over its segment, or removes it when the segment is gone
    /// or the store closed; true when the segment was replaced.
    typealias Publish = @Sendable (_ temporary: String, _ segment: String) -> Bool

    private struct State {
        var queued: [String] = []
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

        var mayRun: Bool { !writerBehind && DispatchTime.now().uptimeNanoseconds &- lastBehind >= quietPeriod }
    }

    /// What rewriting one segment came to.
    enum Outcome: Equatable {
        /// Written to the temporary file: `blocks` blocks recompressed.
        case rewritten(blocks: Int)
        /// The segment holds no catch-up block (or is not sealed, or is gone).
        case nothingToDo
        /// Stopped part way because the writer fell behind or the store closed.
        case interrupted
    }

    /// How long the recompressor waits before looking again while the writer is behind.
    static let retryDelay = DispatchTimeInterval.seconds(1)

    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "vigil.store.recompress", qos: .utility)
    private let publish: Publish
    private let logger: Logger
    private let rewritten = Counter(label: "vigil_store_recompressed_segments_total")

    init(codec: CompressionCodec, zstdLevel: Int, quietPeriod: Int64, logger: Logger, publish: @escaping Publish) {
        state = Mutex(State(quietPeriod: UInt64(max(0, quietPeriod)), codec: codec, zstdLevel: zstdLevel))
        self.publish = publish
        self.logger = logger
    }

    /// Queues segments for rewriting (each once).
    func enqueue(_ segments: [String]) {
        guard !segments.isEmpty else { return }
        let start = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            for segment in segments where !state.queued.contains(segment) { state.queued.append(segment) }
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Looks through the sealed segments of `directory` for catch-up blocks (left by a previous run)
    /// and queues those segments, in the background.
    func enqueueLeftovers(in directory: SegmentDirectory) {
        queue.async {
            let found = ((try? directory.segments()) ?? []).map(\.path).filter { Self.hasCatchUpBlocks($0) }
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

    /// Rewrites later segments with this codec and level, after this quiet period.
    func reconfigure(codec: CompressionCodec, zstdLevel: Int, quietPeriod: Int64) {
        state.withLock {
            $0.codec = codec
            $0.zstdLevel = zstdLevel
            $0.quietPeriod = UInt64(max(0, quietPeriod))
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
        }
    }

    /// Rewrites queued segments until none is left, waiting while the writer is behind and for
    /// `quietPeriod` after.
    private func drain() {
        while true {
            let next = state.withLock { state -> (String, CompressionCodec, Int, Bool)? in
                guard !state.stopped, let segment = state.queued.first else {
                    state.running = false
                    return nil
                }
                return (segment, state.codec, state.zstdLevel, state.mayRun)
            }
            guard let (segment, codec, level, mayRun) = next else { return }
            if !mayRun {
                queue.asyncAfter(deadline: .now() + Self.retryDelay) { self.drain() }
                return
            }
            let temporary = segment + ".recompress.tmp"
            let shouldStop = { self.state.withLock { $0.stopped || $0.writerBehind } }
            do {
                switch try Self.rewrite(segment, into: temporary, codec: codec, zstdLevel: level, shouldStop: shouldStop) {
                case .rewritten(let blocks):
                    if publish(temporary, segment) {
                        rewritten.increment()
                        logger.info(
                            "recompressed catch-up blocks",
                            metadata: ["segment": "\(segment)", "blocks": "\(blocks)", "codec": "\(codec)"])
                    }
                case .nothingToDo:
                    break
                case .interrupted:
                    unlink(temporary)
                    continue  // the segment stays queued; the loop checks whether to wait
                }
            } catch {
                unlink(temporary)
                logger.warning("could not recompress segment", metadata: ["segment": "\(segment)", "error": "\(error)"])
            }
            state.withLock { state in state.queued.removeAll { $0 == segment } }
        }
    }

    /// Whether the sealed segment at `path` holds a catch-up block (false when it cannot be read).
    static func hasCatchUpBlocks(_ path: String) -> Bool {
        guard let file = try? PosixFile(path: path, flags: O_RDONLY), let size = try? file.size(),
            let footer = try? SegmentFooter.read(from: file, fileSize: size),
            let headers = try? SegmentScanner.headers(file, at: footer.blocks.map(\.offset), end: size)
        else { return false }
        return headers.contains { $0?.isCatchUp == true }
    }

    /// Writes a copy of the sealed segment at `path` to `temporary`, its catch-up blocks
    /// recompressed with `codec`, and fsyncs it. `shouldStop` is asked before each block.
    static func rewrite(
        _ path: String, into temporary: String, codec: CompressionCodec, zstdLevel: Int, shouldStop: () -> Bool
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
        guard headers.contains(where: { $0?.isCatchUp == true }) else { return .nothingToDo }

        let output = try PosixFile(path: temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
        try output.write(try source.read(at: 0, count: SegmentHeader.size), at: 0)
        var offset = Int64(SegmentHeader.size)
        var entries: [BlockIndexEntry] = []
        var recompressed = 0
        let compressor = BlockCompressor(codec: codec, zstdLevel: zstdLevel)
        let decompressor = BlockDecompressor()
        for (entry, header) in zip(footer.blocks, headers) {
            if shouldStop() { return .interrupted }
            var block = try source.read(at: entry.offset, count: Int(entry.length))
            if let header, header.isCatchUp, block.count == header.totalLength,
                CRC32C.checksum(block[BlockHeader.size...]) == header.payloadChecksum
            {
                block = try recompress(block, header: header, compressor: compressor, decompressor: decompressor)
                recompressed += 1
            }
            try output.write(block, at: offset)
            var rewrittenEntry = entry
            rewrittenEntry.offset = offset
            rewrittenEntry.length = UInt32(block.count)
            entries.append(rewrittenEntry)
            offset += Int64(block.count)
        }
        try output.write(SegmentFooter(blocks: entries, sealedAt: footer.sealedAt).encode(at: offset), at: offset)
        try output.sync()
        return .rewritten(blocks: recompressed)
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
