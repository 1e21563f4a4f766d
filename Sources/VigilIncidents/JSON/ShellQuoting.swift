import Foundation

/// Quotes words for a POSIX shell, so a printed command line can be pasted as it is.
public enum ShellQuoting {
    /// `word` as is when it needs no quoting, else in single quotes (`'it'\''s'`).
    public static func quoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./:@=,+%".unicodeScalars.contains($0)
        }
        if safe, !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
