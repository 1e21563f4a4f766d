import Foundation

/// Reads a file (or standard input, `-`) in large chunks and hands out its lines without their
/// `\n` (a trailing `\r` is kept for the decoder to trim; an empty line or a lone `\r` is skipped).
/// A last line without a newline is returned too.
public struct LineFileReader {
    /// Why a file could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The path, or `-`.
    public let path: String
    private let fd: Int32
    private var chunk = [UInt8](repeating: 0, count: 4 << 20)
    private var carry: [UInt8] = []
    private var finished = false
    /// Bytes read so far.
    public private(set) var bytesRead: Int64 = 0

    /// Opens `path` (`-` is standard input).
    public init(path: String) throws(ReadError) {
        self.path = path
        fd = path == "-" ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Calls `body` with each line of the next chunk; returns false at the end of the file.
    public mutating func nextLines(_ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(ReadError) -> Bool {
        guard !finished else { return false }
        var n: Int
        repeat {
            n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        } while n < 0 && errno == EINTR
        if n < 0 { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
        if n == 0 {
            finished = true
            close(fd)
            if !carry.isEmpty { carry.withUnsafeBufferPointer { body($0) } }
            carry = []
            return false
        }
        bytesRead += Int64(n)
        var data = carry
        data.append(contentsOf: chunk[0..<n])
        let complete = data.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        data.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < complete {
                var end = start
                while buffer[end] != 0x0A { end += 1 }
                if end > start, !(end - start == 1 && buffer[start] == 0x0D) {
                    body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                }
                start = end + 1
            }
        }
        carry = Array(data[complete...])
        return true
    }
}
