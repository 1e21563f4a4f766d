import Foundation

/// Buffered standard output: records are rendered into a byte buffer and written in large chunks.
/// A closed pipe (`vigil query | head`) ends the program quietly, as with any Unix filter.
struct OutputBuffer {
    var bytes: [UInt8] = []
    let flushThreshold: Int

    init(flushThreshold: Int = 1 << 16) {
        self.flushThreshold = flushThreshold
        bytes.reserveCapacity(flushThreshold + 4096)
    }

    mutating func flushIfFull() {
        if bytes.count >= flushThreshold { flush() }
    }

    mutating func flush() {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                exit(errno == EPIPE ? 0 : 1)
            }
            written += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
