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
