/// The 32-byte header at the start of every segment file (see docs/segment-format.md).
public struct SegmentHeader: Sendable, Equatable {
    public static let size = 32
    public static let magic: [UInt8] = Array("VIGILSEG".utf8)
    /// The segment format version this build writes and reads.
    public static let formatVersion: UInt8 = 1

    public var version: UInt8 = SegmentHeader.formatVersion
    public var segmentID: UInt64
    /// When the segment was created, nanoseconds since the epoch (wall clock).
    public var createdAt: Int64

    public init(segmentID: UInt64, createdAt: Int64) {
        self.segmentID = segmentID
        self.createdAt = createdAt
    }

    func encode() -> [UInt8] {
        var w = ByteWriter(capacity: Self.size)
        w.append(Self.magic)
        w.u8(version)
        w.u8(0)
        w.u8(0)
        w.u8(0)
        w.u64(segmentID)
        w.i64(createdAt)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Decodes a header; the error says what is wrong in words a user can act on.
    static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> SegmentHeader {
        guard bytes.count >= size else { throw .badSegmentHeader(path: path, reason: "file is shorter than a segment header (\(bytes.count) bytes)") }
        guard Array(bytes[0..<8]) == magic else { throw .badSegmentHeader(path: path, reason: "no segment magic") }
        let version = bytes[8]
        var header: SegmentHeader?
        var failure: StoreError?
        bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw, offset: 12)
            do {
                let id = try r.u64()
                let created = try r.i64()
                let stored = try r.u32()
                guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<28])) == stored else {
                    failure = .badSegmentHeader(path: path, reason: "segment header checksum mismatch")
                    return
                }
                header = SegmentHeader(segmentID: id, createdAt: created)
                header?.version = version
            } catch {
                failure = .badSegmentHeader(path: path, reason: "truncated header")
            }
        }
        if let failure { throw failure }
        guard version == formatVersion else {
            throw .unsupportedVersion(path: path, version: version, supported: formatVersion)
        }
        return header!
    }
}
