import Foundation

/// A small state file holding a journal cursor, replaced atomically: written under a temporary
/// name, fsynced, renamed over the old one, and the directory fsynced, so a crash leaves either the
/// old cursor or the new one, never a torn file.
struct CursorFile: Sendable {
    /// The file's path.
    let path: String

    /// The saved cursor, or nil when there is none yet.
    func load() throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Saves `cursor` durably.
    func save(_ cursor: String) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError.error(.fileWriteUnknown, userInfo: ["path": temporary, "errno": errno]) }
        let bytes = Array((cursor + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            throw CocoaError.error(.fileWriteUnknown, userInfo: ["path": temporary, "errno": errno])
        }
        guard rename(temporary, path) == 0 else {
            throw CocoaError.error(.fileWriteUnknown, userInfo: ["path": path, "errno": errno])
        }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}
