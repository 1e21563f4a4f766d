import Foundation
import VigilCore
import VigilFormats
import VigilStore

/// Imports files of log lines into the store (`vigil import`): reads large chunks, splits lines,
/// decodes each in the chosen format, and appends in batches. Decoding the next batch overlaps with
/// compressing and writing the previous one, so an import uses two cores.
public struct FileImporter {
    /// What an import did.
    public struct Summary: Sendable, Equatable {
        public var records = 0
        /// Lines that could not be parsed and were kept as raw records.
        public var rawFallbacks = 0
        public var bytes: Int64 = 0
        public var files = 0
    }

    /// Why an input could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public var decoder: LineDecoder
    /// Lines per append.
    public var batchSize = 16_384

    public init(decoder: LineDecoder) { self.decoder = decoder }

    /// Imports `paths` (`-` is standard input) through `writer`.
    public mutating func importFiles(_ paths: [String], into writer: StoreWriter) async throws -> Summary {
        var summary = Summary()
        var inFlight: Task<Void, any Error>?
        var records: [LogRecord] = []
        var sizes: [Int] = []
        records.reserveCapacity(batchSize)
        sizes.reserveCapacity(batchSize)
        let receivedAt = Int64(Date().timeIntervalSince1970 * 1e9)
        let rawBefore = decoder.rawCount

        func flush() async throws {
            guard !records.isEmpty else { return }
            try await inFlight?.value
            summary.records += records.count
            let batch = records, batchSizes = sizes
            inFlight = Task { try await writer.append(batch, sourceSizes: batchSizes) }
            records.removeAll(keepingCapacity: true)
            sizes.removeAll(keepingCapacity: true)
        }

        for path in paths {
            let fd = path == "-" ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
            defer { close(fd) }
            summary.files += 1
            var chunk = [UInt8](repeating: 0, count: 4 << 20)
            var carry: [UInt8] = []
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ReadError(path: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                summary.bytes += Int64(n)
                var data = carry
                data.append(contentsOf: chunk[0..<n])
                let lastNewline = data.lastIndex(of: 0x0A)
                let complete = lastNewline.map { $0 + 1 } ?? 0
                data.withUnsafeBufferPointer { buffer in
                    var start = 0
                    while start < complete {
                        var end = start
                        while buffer[end] != 0x0A { end += 1 }
                        if end > start, !(end - start == 1 && buffer[start] == 0x0D) {
                            let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
                            records.append(decoder.decode(line: line, receivedAt: receivedAt))
                            sizes.append(end - start + 1)
                        }
                        start = end + 1
                    }
                }
                carry = Array(data[complete...])
                if records.count >= batchSize { try await flush() }
            }
            if !carry.isEmpty {
                carry.withUnsafeBufferPointer { records.append(decoder.decode(line: $0, receivedAt: receivedAt)) }
                sizes.append(carry.count)
            }
        }
        try await flush()
        try await inFlight?.value
        summary.rawFallbacks = decoder.rawCount - rawBefore
        return summary
    }
}
