import Foundation

/// The layout of a data directory: numbered segment files, the writer lock, and `quarantine/` for
/// segments that could not be read.
public struct SegmentDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    static let fileExtension = "vseg"

    public func segmentPath(_ id: UInt64) -> String {
        let digits = String(id)
        return path + "/segment-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits + "." + Self.fileExtension
    }

    public var quarantinePath: String { path + "/quarantine" }
    public var lockPath: String { path + "/LOCK" }

    /// Segment ids and paths, oldest first.
    public func segments() throws(StoreError) -> [(id: UInt64, path: String)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .io(path: path, operation: "list directory", errno: (error as NSError).code == NSFileReadNoSuchFileError ? ENOENT : EIO)
        }
        return names.compactMap { name -> (UInt64, String)? in
            guard name.hasPrefix("segment-"), name.hasSuffix("." + Self.fileExtension) else { return nil }
            let digits = name.dropFirst("segment-".count).dropLast(Self.fileExtension.count + 1)
            guard let id = UInt64(digits) else { return nil }
            return (id, path + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    /// Temporary files a crash may have left behind (`*.tmp`).
    func temporaryFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".tmp") }.map { path + "/" + $0 }
    }

    /// Moves an unreadable segment aside into `quarantine/`, returning its new path.
    func quarantine(_ segmentPath: String) throws(StoreError) -> String {
        try? FileManager.default.createDirectory(atPath: quarantinePath, withIntermediateDirectories: true)
        let target = quarantinePath + "/" + (segmentPath as NSString).lastPathComponent
        guard rename(segmentPath, target) == 0 else { throw .io(path: segmentPath, operation: "rename to quarantine", errno: errno) }
        try PosixFile.syncDirectory(path)
        return target
    }
}
