import CVigilCRC32C

/// CRC-32C (Castagnoli), the checksum of block headers, payloads and footers.
///
/// With the CPU's `crc32` instruction where it has one (x86-64 with SSE 4.2: 8 bytes per
/// instruction), else slicing-by-8 in software, which costs a visible share of vigild's CPU under a
/// heavy syslog stream.
public enum CRC32C {
    /// Whether `checksum` uses the CPU's instruction.
    static let usesHardware = vigil_crc32c_hardware_available() != 0

    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var crc = UInt32(i)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[0][i] = crc
        }
        for i in 0..<256 {
            for t in 1..<8 { tables[t][i] = (tables[t - 1][i] >> 8) ^ tables[0][Int(tables[t - 1][i] & 0xFF)] }
        }
        return tables
    }()

    private static let flat: [UInt32] = tables.flatMap { $0 }

    /// The checksum of `bytes`, continuing from `crc` (pass the previous result to checksum in pieces).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard usesHardware else { return softwareChecksum(bytes, continuing: crc) }
        return vigil_crc32c_hardware(crc, bytes.baseAddress, bytes.count)
    }

    /// `checksum` in software, for CPUs without the instruction.
    static func softwareChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32) -> UInt32 {
        var c = ~crc
        flat.withUnsafeBufferPointer { t in
            var p = bytes.baseAddress
            var n = bytes.count
            guard var p0 = p else { return }
            while n >= 8 {
                let word = p0.loadUnaligned(as: UInt64.self).littleEndian ^ UInt64(c)
                c = t[7 * 256 + Int(word & 0xFF)] ^ t[6 * 256 + Int((word >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((word >> 16) & 0xFF)] ^ t[4 * 256 + Int((word >> 24) & 0xFF)]
                    ^ t[3 * 256 + Int((word >> 32) & 0xFF)] ^ t[2 * 256 + Int((word >> 40) & 0xFF)]
                    ^ t[1 * 256 + Int((word >> 48) & 0xFF)] ^ t[Int(word >> 56)]
                p0 += 8
                n -= 8
            }
            p = p0
            while n > 0, let q = p {
                c = t[Int((c ^ UInt32(q.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p = q + 1
                n -= 1
            }
        }
        return ~c
    }

    /// The checksum of a byte array slice.
    public static func checksum(_ bytes: ArraySlice<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// The checksum of a byte array.
    public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }
}
