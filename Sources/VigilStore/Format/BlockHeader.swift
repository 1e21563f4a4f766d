import VigilCore

/// The fixed 64-byte header in front of every block (see docs/segment-format.md).
///
/// It carries everything a query needs to decide whether to read the block at all: the time range,
/// the record count and which severities occur, and it is checksummed on its own so a scan can trust
/// the lengths before touching the payload.
public struct BlockHeader: Sendable, Equatable {
    public static let size = 64
    /// The most records a block may say it holds (the writer makes at most 32,768): a larger count
    /// is damage, not data.
    public static let maximumRecordCount: UInt32 = 1 << 20
    /// The longest a column group may be, compressed or not (the writer's blocks hold about 4 MiB
    /// of records): a larger length is damage, and must not size an allocation.
    public static let maximumColumnLength: UInt32 = 256 << 20
    /// `VBLK` in little-endian order.
    public static let magic: UInt32 = 0x4B4C_4256
    public static let formatVersion: UInt8 = 1
    /// Header byte 7 (flags), bit 0: a catch-up block.
    static let catchUpFlag: UInt8 = 0x01

    public var codec: CompressionCodec
    /// Bit `s` is set when a record of severity `s` is in the block.
    public var severityMask: UInt8
    public var recordCount: UInt32
    public var minTime: Int64
    public var maxTime: Int64
    /// Bytes the records occupied at their source (for the compression ratio).
    public var sourceBytes: UInt32
    /// Compressed and raw lengths of the three columns groups: meta, messages, fields.
    public var compressedLengths: (meta: UInt32, messages: UInt32, fields: UInt32)
    public var rawLengths: (meta: UInt32, messages: UInt32, fields: UInt32)
    /// CRC-32C of the compressed payload (the three column groups, back to back).
    public var payloadChecksum: UInt32
    /// Written with the store's catch-up codec while the writer was behind; such blocks are
    /// recompressed with the configured codec later (`SegmentRewriter`). Header byte 7, bit 0.
    public var isCatchUp: Bool = false

    public var payloadLength: Int {
        Int(compressedLengths.meta) + Int(compressedLengths.messages) + Int(compressedLengths.fields)
    }

    /// Header plus payload.
    public var totalLength: Int { Self.size + payloadLength }

    public static func == (a: BlockHeader, b: BlockHeader) -> Bool {
        a.codec == b.codec && a.severityMask == b.severityMask && a.isCatchUp == b.isCatchUp && a.recordCount == b.recordCount
            && a.minTime == b.minTime && a.maxTime == b.maxTime && a.sourceBytes == b.sourceBytes
            && a.compressedLengths == b.compressedLengths && a.rawLengths == b.rawLengths
            && a.payloadChecksum == b.payloadChecksum
    }

    func encode(into writer: inout ByteWriter) {
        let start = writer.count
        writer.u32(Self.magic)
        writer.u8(Self.formatVersion)
        writer.u8(codec.rawValue)
        writer.u8(severityMask)
        writer.u8(isCatchUp ? Self.catchUpFlag : 0)
        writer.u32(recordCount)
        writer.i64(minTime)
        writer.i64(maxTime)
        writer.u32(sourceBytes)
        writer.u32(compressedLengths.meta)
        writer.u32(rawLengths.meta)
        writer.u32(compressedLengths.messages)
        writer.u32(rawLengths.messages)
        writer.u32(compressedLengths.fields)
        writer.u32(rawLengths.fields)
        writer.u32(payloadChecksum)
        let crc = writer.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<(start + 60)])) }
        writer.u32(crc)
    }

    /// Why a header could not be read.
    public enum DecodeFailure: Error, Equatable {
        case tooShort
        case badMagic
        case badChecksum
        case unknownVersion(UInt8)
        case unknownCodec(UInt8)
        /// Lengths, counts or times no block can have (behind a valid checksum).
        case implausible(String)
    }

    /// Decodes and checks a header from the first 64 bytes of `bytes`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<BlockHeader, DecodeFailure> {
        guard bytes.count >= size else { return .failure(.tooShort) }
        var r = ByteReader(bytes)
        do {
            guard try r.u32() == magic else { return .failure(.badMagic) }
            let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 60, as: UInt32.self))
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<60])) == stored else {
                return .failure(.badChecksum)
            }
            let version = try r.u8()
            guard version == formatVersion else { return .failure(.unknownVersion(version)) }
            let codecByte = try r.u8()
            guard let codec = CompressionCodec(rawValue: codecByte) else { return .failure(.unknownCodec(codecByte)) }
            let mask = try r.u8()
            let flags = try r.u8()
            let count = try r.u32()
            let minTime = try r.i64()
            let maxTime = try r.i64()
            let source = try r.u32()
            let metaC = try r.u32(), metaR = try r.u32()
            let msgC = try r.u32(), msgR = try r.u32()
            let fldC = try r.u32(), fldR = try r.u32()
            let payloadCRC = try r.u32()
            guard count <= maximumRecordCount else { return .failure(.implausible("\(count) records")) }
            for length in [metaC, metaR, msgC, msgR, fldC, fldR] where length > maximumColumnLength {
                return .failure(.implausible("a column of \(length) bytes"))
            }
            guard minTime <= maxTime else { return .failure(.implausible("its first time is after its last")) }
            guard count == 0 || metaR >= count else { return .failure(.implausible("\(count) records in \(metaR) bytes of metadata")) }
            return .success(
                BlockHeader(
                    codec: codec, severityMask: mask, recordCount: count, minTime: minTime, maxTime: maxTime,
                    sourceBytes: source, compressedLengths: (metaC, msgC, fldC), rawLengths: (metaR, msgR, fldR),
                    payloadChecksum: payloadCRC, isCatchUp: flags & catchUpFlag != 0))
        } catch {
            return .failure(.tooShort)
        }
    }
}

extension BlockHeader.DecodeFailure: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tooShort: "truncated block header"
        case .badMagic: "no block magic"
        case .badChecksum: "block header checksum mismatch"
        case .unknownVersion(let v): "block format version \(v) is not supported (this vigil reads version \(BlockHeader.formatVersion))"
        case .unknownCodec(let c): "unknown codec \(c)"
        case .implausible(let what): "implausible block header: \(what)"
        }
    }
}
