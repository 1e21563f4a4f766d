#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Byte-level helpers the parsers share: slicing a buffer into `String`s without intermediate copies.
extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes `start..<end` as a `String`; invalid UTF-8 is repaired with U+FFFD.
    @inline(__always)
    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: self[start..<end]), as: UTF8.self)
    }

    /// The bytes `start..<end` as a buffer of their own (indices start at 0).
    @inline(__always)
    func slice(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: self[start..<end])
    }

    /// The index of the first `byte` at or after `start`, or `count` (`memchr`, which scans a
    /// word or a vector at a time).
    @inline(__always)
    func firstIndex(of byte: UInt8, from start: Int) -> Int {
        guard start < count, let base = baseAddress else { return count }
        guard let found = memchr(base + start, Int32(byte), count - start) else { return count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// `count` minus any trailing line terminators and NULs (`\n`, `\r`, `\0`) — framing, not content.
    @inline(__always)
    func endTrimmingTerminators() -> Int {
        var n = count
        while n > 0 {
            let c = self[n - 1]
            guard c == 0x0A || c == 0x0D || c == 0x00 else { break }
            n -= 1
        }
        return n
    }
}
