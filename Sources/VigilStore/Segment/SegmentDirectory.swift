import Foundation
import VigilCore

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

    /// Where the file of segment `id` is prepared before it starts (`SegmentPreparer`).
    func sparePath(_ id: UInt64) -> String { segmentPath(id) + ".next" }

    public var quarantinePath: String { path + "/quarantine" }
    public var lockPath: String { path + "/LOCK" }

    /// Segment ids and paths, oldest first.
    public func segments() throws(StoreError) -> [(id: UInt64, path: String)] {
        try names().compactMap { name -> (UInt64, String)? in
            guard let id = Self.id(ofName: name) else { return nil }
            return (id, path + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    /// The id of the segment file named `name` (`segment-000000000042.vseg`), nil for other names.
    static func id(ofName name: some StringProtocol) -> UInt64? {
        guard name.hasPrefix("segment-"), name.hasSuffix("." + Self.fileExtension) else { return nil }
        return UInt64(name.dropFirst("segment-".count).dropLast(Self.fileExtension.count + 1))
    }

    /// The id of the segment file at `path`, nil when it is not one.
    static func id(ofPath path: String) -> UInt64? {
        id(ofName: path.split(separator: "/").last ?? "")
    }

    /// The directory's entries, with the system's errno on failure (EACCES for a user outside the
    /// store's group, ENOENT for a missing directory).
    private func names() throws(StoreError) -> [String] {
        guard let directory = opendir(path) else { throw .io(path: path, operation: "list directory", errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        errno = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        guard errno == 0 else { throw .io(path: path, operation: "list directory", errno: errno) }
        return names
    }

    /// Temporary files a crash may have left behind (`*.tmp`).
    func temporaryFiles() -> [String] {
        ((try? names()) ?? []).filter { $0.hasSuffix(".tmp") }.map { path + "/" + $0 }
    }

    /// Prepared segment files a crash may have left behind (`*.vseg.next`).
    func spareFiles() -> [String] {
        ((try? names()) ?? []).filter { $0.hasSuffix("." + Self.fileExtension + ".next") }.map { path + "/" + $0 }
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

/// Why a segment is in `quarantine/`: a `NAME.reason` file beside it, written when recovery moves
/// it there, read by `vigil verify` and `vigil stats`.
public enum QuarantineNote {
    /// Writes the reason (and when) for the quarantined file at `path`; a failure is ignored (the
    /// log has the reason too).
    static func write(for path: String, reason: String, at time: Int64) {
        let text = "\(TimeFormatter.rfc3339(time, fractionDigits: 0)) \(reason)\n"
        _ = FileManager.default.createFile(atPath: path + ".reason", contents: Data(text.utf8))
    }

    /// The segments in `directory`'s `quarantine/`, with the reason each was set aside (or `nil`
    /// when no note was left).
    public static func list(directory: String) -> [(path: String, reason: String?)] {
        let folder = SegmentDirectory(path: directory).quarantinePath
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasSuffix("." + SegmentDirectory.fileExtension) }.sorted().map { name in
            let path = folder + "/" + name
            let note = try? String(contentsOfFile: path + ".reason", encoding: .utf8)
            return (path, note?.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
