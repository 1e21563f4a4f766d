import Foundation
import Logging
import VigilCore

/// Deletes whole sealed segments, oldest first, while the store is larger than `retention_max_bytes`
/// or a segment was sealed longer ago than `retention_max_age`. The active segment is never deleted.
enum RetentionPolicy {
    /// Applies the limits; returns the paths deleted.
    static func apply(
        _ directory: SegmentDirectory, configuration: StoreConfiguration, activeSegmentID: UInt64?, now: Int64,
        logger: Logger
    ) throws(StoreError) -> [String] {
        guard configuration.retentionMaxBytes != nil || configuration.retentionMaxAge != nil else { return [] }
        var segments: [(id: UInt64, path: String, size: Int64, sealedAt: Int64?)] = []
        for (id, path) in try directory.segments() {
            let file = try PosixFile(path: path, flags: O_RDONLY)
            let size = try file.size()
            let sealedAt = id == activeSegmentID ? nil : try SegmentFooter.read(from: file, fileSize: size)?.sealedAt
            segments.append((id, path, size, sealedAt))
        }
        var total = segments.reduce(Int64(0)) { $0 + $1.size }
        var deleted: [String] = []
        for segment in segments {
            guard let sealedAt = segment.sealedAt else { continue }
            let tooBig = configuration.retentionMaxBytes.map { total > $0 } ?? false
            let tooOld = configuration.retentionMaxAge.map { now - sealedAt > $0 } ?? false
            guard tooBig || tooOld else { continue }
            guard unlink(segment.path) == 0 else { throw .io(path: segment.path, operation: "unlink", errno: errno) }
            total -= segment.size
            deleted.append(segment.path)
            logger.info("retention deleted segment", metadata: ["segment": "\(segment.path)", "reason": "\(tooBig ? "size" : "age")"])
        }
        if !deleted.isEmpty { try PosixFile.syncDirectory(directory.path) }
        return deleted
    }
}
