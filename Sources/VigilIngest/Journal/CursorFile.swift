import Foundation
import VigilCore

/// A small state file holding a journal cursor, replaced atomically (see `AtomicFile`), so a crash
/// leaves either the old cursor or the new one, never a torn file.
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
        try AtomicFile.write(Array((cursor + "\n").utf8), to: path)
    }
}
