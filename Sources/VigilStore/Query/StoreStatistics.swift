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

/// What `vigil stats` finds unreadable: blocks whose header or payload checksum fails.
public struct StoreIntegrity: Sendable, Equatable {
    /// Blocks the catalog lists that cannot be read.
    public var corruptBlocks = 0
    /// Bytes of damaged data (the unreadable blocks, and damage between blocks).
    public var corruptBytes: Int64 = 0
    /// Records in the unreadable blocks (left out of the record count).
    public var unreadableRecords = 0
}

extension StoreStatistics {
    /// Checks every block's header and payload checksum (reading the stored bytes, not
    /// decompressing them): what `vigil stats` leaves out of its record count. `vigil verify`
    /// also decodes every block.
    public static func integrity(of catalog: StoreCatalog) -> StoreIntegrity {
        var integrity = StoreIntegrity()
        for segment in catalog.segments {
            guard let file = try? PosixFile(path: segment.path, flags: O_RDONLY) else { continue }
            let end = segment.blocks.last.map { $0.offset + Int64($0.length) } ?? segment.fileSize
            guard let scan = try? SegmentScanner.scan(file, end: end, checkPayloads: true, resynchronize: true) else { continue }
            let readable = Set(scan.blocks.map(\.offset))
            for block in segment.blocks where !readable.contains(block.offset) {
                integrity.corruptBlocks += 1
                integrity.unreadableRecords += block.recordCount
            }
            integrity.corruptBytes += scan.damage.reduce(0) { $0 + $1.length }
        }
        return integrity
    }
}
