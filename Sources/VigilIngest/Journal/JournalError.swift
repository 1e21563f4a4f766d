#if canImport(Glibc)
import Glibc
#endif

/// A failed sd_journal call, with the operation and the errno it returned.
public struct JournalError: Error, CustomStringConvertible {
    /// What was being done: `open /var/log/journal`, `seek to the saved cursor`.
    public let operation: String
    /// The (positive) errno.
    public let code: Int32

    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = abs(code)
    }

    public var description: String { "journal: \(operation): \(String(cString: strerror(code)))" }
}
