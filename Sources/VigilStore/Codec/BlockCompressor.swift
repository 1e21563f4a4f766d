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

    init() { context = ZSTD_createDCtx() }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses `input` (exactly `rawLength` bytes expected) into `output`, replacing its contents.
    func decompress(
        _ input: UnsafeRawBufferPointer, codec: CompressionCodec, rawLength: Int, into output: inout [UInt8]
    ) throws(FormatError) {
        output.removeAll(keepingCapacity: true)
        guard rawLength > 0 else { return }
        output.reserveCapacity(rawLength)
        var failure: FormatError?
        output.append(contentsOf: repeatElement(0, count: rawLength))
        output.withUnsafeMutableBytes { dst in
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
                    dst.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(rawLength))
                if result != Int32(rawLength) {
                    failure = .invalid(result < 0 ? "lz4: corrupt input" : "lz4 produced \(result) bytes, expected \(rawLength)")
                }
            }
        }
        if let failure { throw failure }
    }
}
