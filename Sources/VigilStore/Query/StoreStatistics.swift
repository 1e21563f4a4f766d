import Foundation

/// `vigil stats`: sizes, counts and the time span of a data directory, from the catalog alone.
public struct StoreStatistics: Sendable, Equatable {
    public var segments: Int
    public var sealedSegments: Int
    public var blocks: Int
    public var records: Int
    /// Bytes the records took at their sources.
    public var sourceBytes: Int64
    /// Bytes of segment files on disk.
    public var storedBytes: Int64
    public var oldestTime: Int64?
    public var newestTime: Int64?

    /// Source bytes per stored byte (higher is better); nil for an empty store.
    public var compressionRatio: Double? { storedBytes > 0 && sourceBytes > 0 ? Double(sourceBytes) / Double(storedBytes) : nil }

    public init(catalog: StoreCatalog) {
        let blocks = catalog.blocks
        segments = catalog.segments.count
        sealedSegments = catalog.segments.filter(\.sealed).count
        self.blocks = blocks.count
        records = blocks.reduce(0) { $0 + $1.recordCount }
        sourceBytes = blocks.reduce(0) { $0 + $1.sourceBytes }
        storedBytes = catalog.segments.reduce(0) { $0 + $1.fileSize }
        oldestTime = blocks.map(\.minTime).min()
        newestTime = blocks.map(\.maxTime).max()
    }
}

extension StoreStatistics {
    /// Blocks written with the catch-up codec while the writer was behind and not recompressed yet
    /// (vigild rewrites them once it keeps up). Reads each block's 64-byte header; a block whose
    /// header cannot be read is not counted (`vigil verify` reports it).
    public static func catchUpBlocks(in catalog: StoreCatalog) -> Int {
        var count = 0
        for segment in catalog.segments {
            guard let file = try? PosixFile(path: segment.path, flags: O_RDONLY),
                let headers = try? SegmentScanner.headers(file, at: segment.blocks.map(\.offset), end: segment.fileSize)
            else { continue }
            count += headers.filter { $0?.isCatchUp == true }.count
        }
        return count
    }
}
