import Glibc

/// Wakes a reader when a file in a directory is written, created or renamed into it (inotify), so
/// `vigil query -f` prints an appended record as soon as the writer has written its block instead
/// of at its next look. Without inotify (or when its descriptor cannot be made) it falls back to
/// waking every `fallback` seconds.
final class DirectoryWatch {
    private let descriptor: CInt
    private let fallback: Double

    init(directory: String, fallback: Double = 1) {
        self.fallback = fallback
        let fd = inotify_init1(CInt(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE)) >= 0 {
            descriptor = fd
        } else {
            if fd >= 0 { close(fd) }
            descriptor = -1
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether changes are seen as they happen (rather than by waking every `fallback` seconds).
    var isWatching: Bool { descriptor >= 0 }

    /// Returns after the next change in the directory (the events already queued are taken
    /// together), or after `fallback` seconds without one: a safety net for changes inotify does not
    /// report (another mount, a full event queue).
    func wait() {
        guard descriptor >= 0 else {
            usleep(UInt32(fallback * 1_000_000))
            return
        }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, CInt(fallback * 1000))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(descriptor, &buffer, buffer.count) > 0 {}
    }
}
