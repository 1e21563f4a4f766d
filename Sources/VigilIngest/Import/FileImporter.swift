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
        let receivedAt = WallClock.now()
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
            var reader = try LineFileReader(path: path)
            summary.files += 1
            var more = true
            while more {
                more = try reader.nextLines { line in
                    records.append(decoder.decode(line: line, receivedAt: receivedAt))
                    sizes.append(line.count + 1)
                }
                if records.count >= batchSize { try await flush() }
            }
            summary.bytes += reader.bytesRead
        }
        try await flush()
        try await inFlight?.value
        summary.rawFallbacks = decoder.rawCount - rawBefore
        return summary
    }
}
