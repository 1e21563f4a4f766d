/// One block's entry in a sealed segment's footer index.
public struct BlockIndexEntry: Sendable, Equatable {
    public static let size = 40
    public var offset: Int64
    public var length: UInt32
    public var recordCount: UInt32
    public var minTime: Int64
    public var maxTime: Int64
    public var sourceBytes: UInt32
    public var severityMask: UInt8

    init(offset: Int64, header: BlockHeader) {
        self.offset = offset
        self.length = UInt32(header.totalLength)
        self.recordCount = header.recordCount
        self.minTime = header.minTime
        self.maxTime = header.maxTime
        self.sourceBytes = header.sourceBytes
        self.severityMask = header.severityMask
    }

    init(offset: Int64, length: UInt32, recordCount: UInt32, minTime: Int64, maxTime: Int64, sourceBytes: UInt32, severityMask: UInt8) {
        self.offset = offset
        self.length = length
        self.recordCount = recordCount
        self.minTime = minTime
        self.maxTime = maxTime
        self.sourceBytes = sourceBytes
        self.severityMask = severityMask
    }
}

/// The footer that seals a segment: an index of its blocks and a fixed 40-byte trailer that ends the
/// file, so a reader finds the index from the end without scanning.
public struct SegmentFooter: Sendable, Equatable {
    public static let trailerSize = 40
    static let magic: [UInt8] = Array("VSEGFOOT".utf8)

    public var blocks: [BlockIndexEntry]
    /// When the segment was sealed, nanoseconds since the epoch (wall clock); retention by age uses it.
    public var sealedAt: Int64

    /// Encodes the footer that will start at `offset` in the file.
    func encode(at offset: Int64) -> [UInt8] {
        var w = ByteWriter(capacity: blocks.count * BlockIndexEntry.size + Self.trailerSize)
        for b in blocks {
            w.u64(UInt64(b.offset))
            w.u32(b.length)
            w.u32(b.recordCount)
            w.i64(b.minTime)
            w.i64(b.maxTime)
            w.u32(b.sourceBytes)
            w.u8(b.severityMask)
            w.u8(0)
            w.u8(0)
            w.u8(0)
        }
        w.append(Self.magic)
        w.u8(SegmentHeader.formatVersion)
        w.u8(0)
        w.u8(0)
        w.u8(0)
        w.u32(UInt32(blocks.count))
        w.u64(UInt64(offset))
        w.i64(sealedAt)
        w.u32(0)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Reads the footer at the end of `file`, or returns nil when the segment is not sealed (no valid
    /// trailer) or its index does not describe blocks that can be in this file (offsets and lengths
    /// outside it, overlapping, out of order, or implausible counts and times: what a damaged or
    /// crafted file with a valid checksum holds). Throws only for I/O errors.
    static func read(from file: PosixFile, fileSize: Int64) throws(StoreError) -> SegmentFooter? {
        guard fileSize >= Int64(SegmentHeader.size + trailerSize) else { return nil }
        let trailer = try file.read(at: fileSize - Int64(trailerSize), count: trailerSize)
        guard trailer.count == trailerSize, Array(trailer[0..<8]) == magic else { return nil }
        // Every number below comes from the file: each is checked against the file's real size
        // before it sizes a read or becomes an offset.
        let parsed = trailer.withUnsafeBytes { raw -> (count: UInt32, start: Int64, sealedAt: Int64, stored: UInt32)? in
            var r = ByteReader(raw, offset: 12)
            guard let count = try? r.u32(), let start = try? r.u64(), let sealedAt = try? r.i64() else { return nil }
            guard start >= UInt64(SegmentHeader.size), start <= UInt64(fileSize) else { return nil }
            let stored = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: trailerSize - 4, as: UInt32.self))
            return (count, Int64(start), sealedAt, stored)
        }
        guard let (count, start, sealedAt, stored) = parsed else { return nil }
        let entriesLength = Int64(count) * Int64(BlockIndexEntry.size)
        guard start + entriesLength + Int64(trailerSize) == fileSize else { return nil }
        let bodyLength = Int(entriesLength) + trailerSize - 4
        guard let body = try? file.read(at: start, count: bodyLength), body.count == bodyLength,
            CRC32C.checksum(body) == stored
        else { return nil }
        return body.withUnsafeBytes { entries -> SegmentFooter? in
            var e = ByteReader(entries)
            var blocks: [BlockIndexEntry] = []
            blocks.reserveCapacity(Int(count))
            var previousEnd = Int64(SegmentHeader.size)
            for _ in 0..<count {
                guard let offset = try? e.u64(), let length = try? e.u32(), let records = try? e.u32(),
                    let minTime = try? e.i64(), let maxTime = try? e.i64(), let source = try? e.u32(),
                    let mask = try? e.u8(), (try? e.bytes(3)) != nil
                else { return nil }
                guard offset >= UInt64(previousEnd), offset <= UInt64(start), length >= UInt32(BlockHeader.size),
                    Int64(offset) + Int64(length) <= start, records <= BlockHeader.maximumRecordCount, minTime <= maxTime
                else { return nil }
                previousEnd = Int64(offset) + Int64(length)
                blocks.append(
                    BlockIndexEntry(
                        offset: Int64(offset), length: length, recordCount: records, minTime: minTime,
                        maxTime: maxTime, sourceBytes: source, severityMask: mask))
            }
            return SegmentFooter(blocks: blocks, sealedAt: sealedAt)
        }
    }
}
