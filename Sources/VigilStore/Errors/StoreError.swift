/// Errors of the segment store. Each carries the context a user needs: the file, the offset and why.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// A system call failed on a path.
    case io(path: String, operation: String, errno: Int32)
    /// Another process holds the data directory's writer lock.
    case locked(directory: String, holderPID: Int32?, holderName: String?)
    /// A segment or block uses a format version this build does not know.
    case unsupportedVersion(path: String, version: UInt8, supported: UInt8)
    /// A segment file is not a Vigil segment or its header is damaged.
    case badSegmentHeader(path: String, reason: String)
    /// A block failed its checksum or did not decode.
    case corruptBlock(path: String, offset: Int64, reason: String)
    /// Compression failed (out of memory, or a library error).
    case compression(String)
    /// The writer was closed, or failed earlier and refuses further appends.
    case closed(reason: String)

    public var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case .locked(let directory, let pid, let name):
            let holder = pid.map { "process \($0)" + (name.map { " (\($0))" } ?? "") } ?? "another process"
            return "data directory \(directory) is locked by \(holder); stop it or use another --data-dir"
        case .unsupportedVersion(let path, let version, let supported):
            return "\(path): segment format version \(version) is not supported by this vigil (it reads version \(supported)); upgrade vigil to read it"
        case .badSegmentHeader(let path, let reason):
            return "\(path): not a readable Vigil segment: \(reason)"
        case .corruptBlock(let path, let offset, let reason):
            return "\(path): corrupt block at offset \(offset): \(reason)"
        case .compression(let reason):
            return "compression failed: \(reason)"
        case .closed(let reason):
            return "store writer is closed: \(reason)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
