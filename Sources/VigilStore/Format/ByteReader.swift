/// Reads what `ByteWriter` wrote, with bounds checks: a truncated or corrupt buffer throws
/// `FormatError.truncated` instead of trapping.
struct ByteReader {
    let base: UnsafeRawBufferPointer
    var offset: Int

    init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    var remaining: Int { base.count - offset }

    @inline(__always)
    mutating func u8() throws(FormatError) -> UInt8 {
        guard offset < base.count else { throw .truncated }
        defer { offset += 1 }
        return base[offset]
    }

    @inline(__always)
    mutating func u32() throws(FormatError) -> UInt32 {
        guard offset + 4 <= base.count else { throw .truncated }
        defer { offset += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    mutating func u64() throws(FormatError) -> UInt64 {
        guard offset + 8 <= base.count else { throw .truncated }
        defer { offset += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    mutating func i64() throws(FormatError) -> Int64 { Int64(bitPattern: try u64()) }

    @inline(__always)
    mutating func varint() throws(FormatError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < base.count, shift < 64 else { throw .truncated }
            let byte = base[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always)
    mutating func length() throws(FormatError) -> Int {
        let value = try varint()
        guard value <= UInt64(base.count) else { throw .truncated }
        return Int(value)
    }

    @inline(__always)
    mutating func signedVarint() throws(FormatError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Moves past `count` bytes.
    @inline(__always)
    mutating func skip(_ count: Int) throws(FormatError) {
        guard count >= 0, offset + count <= base.count else { throw .truncated }
        offset += count
    }

    mutating func bytes(_ count: Int) throws(FormatError) -> UnsafeRawBufferPointer {
        guard count >= 0, offset + count <= base.count else { throw .truncated }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + count)])
    }

    mutating func string() throws(FormatError) -> String {
        let count = try length()
        return String(decoding: try bytes(count), as: UTF8.self)
    }
}

/// A structural problem inside a block's decoded columns.
enum FormatError: Error, Equatable {
    case truncated
    case invalid(String)
}
