/// Walks a segment's blocks from the front by their headers, checking each, and finds the next good
/// block after damage. Recovery, `vigil verify` and readers of unsealed segments use it.
struct SegmentScanner {
    /// A block whose header (and, when asked, payload checksum) is good.
    struct Block {
        var offset: Int64
        var header: BlockHeader
    }

    /// Damage found while scanning.
    struct Damage {
        var offset: Int64
        var length: Int64
        var reason: String
        /// True when no good block follows: the damage runs to `end` (a torn tail).
        var isTail: Bool
    }

    struct Result {
        var blocks: [Block] = []
        var damage: [Damage] = []
        /// Where the last good block ends.
        var endOfGoodData: Int64 = Int64(SegmentHeader.size)
    }

    /// Scans `file` between the segment header and `end`. With `checkPayloads`, each block's payload
    /// checksum is verified too (recovery and verify); without, only headers are read (fast listing).
    /// With `resynchronize`, damage is skipped by searching for the next good block; without, the scan
    /// stops at the first bad or incomplete block (a reader following an active segment).
    static func scan(_ file: PosixFile, end: Int64, checkPayloads: Bool, resynchronize: Bool) throws(StoreError) -> Result {
        var result = Result()
        var offset = Int64(SegmentHeader.size)
        while offset < end {
            switch try check(file, at: offset, end: end, checkPayload: checkPayloads) {
            case .success(let header):
                result.blocks.append(Block(offset: offset, header: header))
                offset += Int64(header.totalLength)
                result.endOfGoodData = offset
            case .failure(let reason):
                guard resynchronize else { return result }
                if let next = try findNextBlock(file, after: offset, end: end) {
                    result.damage.append(Damage(offset: offset, length: next - offset, reason: reason, isTail: false))
                    offset = next
                } else {
                    result.damage.append(Damage(offset: offset, length: end - offset, reason: reason, isTail: true))
                    return result
                }
            }
        }
        return result
    }

    enum Check {
        case success(BlockHeader)
        case failure(String)
    }

    /// The headers of the blocks at `offsets` (payloads not read), nil for one that cannot be read
    /// there (`vigil verify` reports it).
    static func headers(_ file: PosixFile, at offsets: [Int64], end: Int64) throws(StoreError) -> [BlockHeader?] {
        var headers: [BlockHeader?] = []
        headers.reserveCapacity(offsets.count)
        for offset in offsets {
            if case .success(let header) = try check(file, at: offset, end: end, checkPayload: false) {
                headers.append(header)
            } else {
                headers.append(nil)
            }
        }
        return headers
    }

    static func check(_ file: PosixFile, at offset: Int64, end: Int64, checkPayload: Bool) throws(StoreError) -> Check {
        let headerBytes = try file.read(at: offset, count: BlockHeader.size)
        let decoded = headerBytes.withUnsafeBytes { BlockHeader.decode($0) }
        switch decoded {
        case .failure(let failure):
            if case .tooShort = failure { return .failure("incomplete block header (\(headerBytes.count) of \(BlockHeader.size) bytes)") }
            return .failure(failure.description)
        case .success(let header):
            guard offset + Int64(header.totalLength) <= end else {
                return .failure("incomplete block: \(header.totalLength) bytes announced, \(end - offset) present")
            }
            if checkPayload {
                let payload = try file.read(at: offset + Int64(BlockHeader.size), count: header.payloadLength)
                guard CRC32C.checksum(payload) == header.payloadChecksum else {
                    return .failure("payload checksum mismatch (\(header.recordCount) records)")
                }
            }
            return .success(header)
        }
    }

    /// The offset of the next complete, checksummed block after `offset`, if any.
    private static func findNextBlock(_ file: PosixFile, after offset: Int64, end: Int64) throws(StoreError) -> Int64? {
        let chunk = 1 << 20
        var position = offset + 1
        let magic = withUnsafeBytes(of: BlockHeader.magic.littleEndian) { Array($0) }
        while position + Int64(BlockHeader.size) <= end {
            let bytes = try file.read(at: position, count: min(chunk + 3, Int(end - position)))
            guard bytes.count >= 4 else { return nil }
            var i = 0
            while i + 4 <= bytes.count {
                if bytes[i] == magic[0], bytes[i + 1] == magic[1], bytes[i + 2] == magic[2], bytes[i + 3] == magic[3] {
                    let candidate = position + Int64(i)
                    if case .success = try check(file, at: candidate, end: end, checkPayload: true) { return candidate }
                }
                i += 1
            }
            position += Int64(chunk)
        }
        return nil
    }
}
