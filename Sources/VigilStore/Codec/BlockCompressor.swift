import CLZ4
import CZstd
import VigilCore

/// Compresses block columns with zstd or lz4. Holds a reusable zstd context, so one compressor
/// belongs to one thread at a time.
final class BlockCompressor {
    let codec: CompressionCodec
    private let context: OpaquePointer?

    init(codec: CompressionCodec, zstdLevel: Int) {
        self.codec = codec
        if codec == .zstd {
            context = ZSTD_createCCtx()
            ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(zstdLevel))
            // The block checksum (CRC-32C) covers the compressed bytes; zstd's frame checksum covers
            // the decompressed ones, so a bug in either layer is caught.
            ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        } else {
            context = nil
        }
    }

    deinit {
        if let context { ZSTD_freeCCtx(context) }
    }

    /// Compresses `input` and appends the result to `output`; returns the compressed length.
    func compress(_ input: [UInt8], appendingTo output: inout [UInt8]) throws(StoreError) -> Int {
        let start = output.count
        switch codec {
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            output.reserveCapacity(start + bound)
            var written = 0
            let result: Int = input.withUnsafeBytes { src in
                let capacity = start + bound
                output.append(contentsOf: repeatElement(0, count: bound))
                return output.withUnsafeMutableBytes { dst in
                    ZSTD_compress2(context, dst.baseAddress! + start, capacity - start, src.baseAddress, src.count)
                }
            }
            if ZSTD_isError(result) != 0 {
                output.removeLast(bound)
                throw .compression("zstd: " + String(cString: ZSTD_getErrorName(result)))
            }
            written = result
            output.removeLast(bound - written)
            return written
        case .lz4:
            let bound = Int(LZ4_compressBound(Int32(input.count)))
            output.append(contentsOf: repeatElement(0, count: bound))
            let written: Int32 = input.withUnsafeBytes { src in
                output.withUnsafeMutableBytes { dst in
                    LZ4_compress_default(
                        src.baseAddress?.assumingMemoryBound(to: CChar.self),
                        (dst.baseAddress! + start).assumingMemoryBound(to: CChar.self), Int32(src.count), Int32(bound))
                }
            }
            guard written > 0 || input.isEmpty else {
                output.removeLast(bound)
                throw .compression("lz4 compression failed")
            }
            output.removeLast(bound - Int(written))
            return Int(written)
        }
    }
}

/// Decompresses block columns. Holds a reusable zstd context: one per thread.
final class BlockDecompressor {
    private let context: OpaquePointer?
    /// Column groups decompressed, wholly or in part (for tests: how often a column is decoded).
    private(set) var decompressions = 0

    init() { context = ZSTD_createDCtx() }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses `input` (exactly `rawLength` bytes expected) into `output`, replacing its contents.
    func decompress(
        _ input: UnsafeRawBufferPointer, codec: CompressionCodec, rawLength: Int, into output: inout [UInt8]
    ) throws(FormatError) {
        decompressions += 1
        guard rawLength > 0 else {
            output.removeAll(keepingCapacity: true)
            return
        }
        var failure: FormatError?
        // Written in place, not zeroed first: the codec fills every byte or the result is dropped.
        output = [UInt8](unsafeUninitializedCapacity: rawLength) { dst, initialized in
            switch codec {
            case .zstd:
                let result = ZSTD_decompressDCtx(context, dst.baseAddress, rawLength, input.baseAddress, input.count)
                if ZSTD_isError(result) != 0 {
                    failure = .invalid("zstd: " + String(cString: ZSTD_getErrorName(result)))
                } else if result != rawLength {
                    failure = .invalid("zstd produced \(result) bytes, expected \(rawLength)")
                }
            case .lz4:
                let result = LZ4_decompress_safe(
                    input.baseAddress?.assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(dst.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(input.count),
                    Int32(rawLength))
                if result != Int32(rawLength) {
                    failure = .invalid(result < 0 ? "lz4: corrupt input" : "lz4 produced \(result) bytes, expected \(rawLength)")
                }
            }
            initialized = failure == nil ? rawLength : 0
        }
        if let failure { throw failure }
    }

    /// Decompresses the start of `input` into `output`, replacing its contents, until `enough`
    /// (given the bytes so far, after each step) says they suffice, or the whole column is out: a
    /// query that prints the first records of a block does not pay for the rest of it. zstd only;
    /// lz4 (the catch-up codec) is decompressed whole. The zstd frame's content checksum is not
    /// checked on a prefix (the block's CRC-32C over the compressed bytes was).
    func decompressPrefix(
        _ input: UnsafeRawBufferPointer, codec: CompressionCodec, rawLength: Int, into output: inout [UInt8],
        enough: (UnsafeRawBufferPointer) throws(FormatError) -> Bool
    ) throws(FormatError) {
        guard codec == .zstd, rawLength > 0 else {
            try decompress(input, codec: codec, rawLength: rawLength, into: &output)
            return
        }
        decompressions += 1
        // zstd writes straight into `output` (no window buffer of its own, no copy) when told the
        // output buffer stays put between calls (ZSTD_d_stableOutBuffer).
        ZSTD_DCtx_reset(context, ZSTD_reset_session_and_parameters)
        ZSTD_DCtx_setParameter(context, Self.stableOutBuffer, 1)
        defer { ZSTD_DCtx_reset(context, ZSTD_reset_session_and_parameters) }
        var failure: FormatError?
        output = [UInt8](unsafeUninitializedCapacity: rawLength) { dst, initialized in
            var out = ZSTD_outBuffer(dst: dst.baseAddress, size: rawLength, pos: 0)
            var source = ZSTD_inBuffer(src: input.baseAddress, size: 0, pos: 0)
            while failure == nil {
                source.size = min(input.count, source.size + Self.prefixStep)
                let result = ZSTD_decompressStream(context, &out, &source)
                if ZSTD_isError(result) != 0 {
                    failure = .invalid("zstd: " + String(cString: ZSTD_getErrorName(result)))
                } else if result == 0 || out.pos == rawLength {
                    if out.pos != rawLength { failure = .invalid("zstd produced \(out.pos) bytes, expected \(rawLength)") }
                    break
                } else if source.pos == input.count {
                    failure = .truncated
                } else {
                    do throws(FormatError) {
                        if try enough(UnsafeRawBufferPointer(start: dst.baseAddress, count: out.pos)) { break }
                    } catch { failure = error }
                }
            }
            initialized = failure == nil ? out.pos : 0
        }
        if let failure { throw failure }
    }

    /// `ZSTD_d_stableOutBuffer`, which zstd.h names only for static linking.
    private static let stableOutBuffer = ZSTD_d_experimentalParam2

    /// Compressed bytes handed to zstd per step of `decompressPrefix`: about a zstd block's worth.
    private static let prefixStep = 32 * 1024
}
