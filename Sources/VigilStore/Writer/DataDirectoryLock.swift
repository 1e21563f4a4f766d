import Foundation

/// The single-writer lock of a data directory: an exclusive `flock` on `DIR/LOCK`, which holds the
/// holder's pid so a second writer can say who is in the way. The kernel drops the lock when the
/// process dies, so a crash never leaves the directory locked.
public final class DataDirectoryLock: Sendable {
    public let directory: String
    private let fd: Int32
    /// How long a holder that names no process is waited for.
    static let unnamedHolderWait: Duration = .milliseconds(200)

    /// Takes the lock or throws `StoreError.locked` naming the holder.
    ///
    /// A holder whose pid is not in the file is letting go or just arriving: a writer that has
    /// closed (it empties the file first) while a child process another thread is starting still
    /// shares its descriptor until the child's `exec`, or a writer that has not written its pid
    /// yet. That holder is waited for, up to `unnamedHolderWait`, polling every 10 ms on the
    /// caller's thread (only ever when the lock is contended).
    public init(directory: String) throws(StoreError) {
        self.directory = directory
        let path = SegmentDirectory(path: directory).lockPath
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        let deadline = ContinuousClock.now + Self.unnamedHolderWait
        var locked = flock(fd, LOCK_EX | LOCK_NB) == 0
        var code = locked ? 0 : errno
        while !locked, code == EWOULDBLOCK, Self.holder(directory: directory) == nil, ContinuousClock.now < deadline {
            usleep(10_000)
            locked = flock(fd, LOCK_EX | LOCK_NB) == 0
            code = locked ? 0 : errno
        }
        guard locked else {
            close(fd)
            if code == EWOULDBLOCK {
                let pid = Self.holder(directory: directory)
                throw .locked(directory: directory, holderPID: pid, holderName: pid.flatMap(Self.processName))
            }
            throw .io(path: path, operation: "flock", errno: code)
        }
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
    }

    deinit {
        _ = ftruncate(fd, 0)
        close(fd)
    }

    /// The pid written by the process that holds (or last held) the lock.
    public static func holder(directory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: SegmentDirectory(path: directory).lockPath, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Whether some process holds the lock right now (without taking it for long).
    public static func isHeld(directory: String) -> Bool {
        let fd = open(SegmentDirectory(path: directory).lockPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }

    static func processName(_ pid: Int32) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
