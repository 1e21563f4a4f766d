import Foundation
import Glibc

/// Drops the pages of vigild's own machine code that start-up mapped and steady running does not
/// use.
///
/// vigild is one statically linked executable (22 MiB of code, the Swift runtime, Foundation and
/// the libraries included). Start-up runs code from all over it: configuration parsing, the
/// runtime's protocol-conformance scans, NIO, Hummingbird and service-lifecycle setup, the
/// dynamic loader's relocation tables. The kernel maps every code page a fault touches together
/// with its neighbours that are in the page cache (fault-around, 64 KiB), so after start-up about
/// 17 MiB of code is mapped into the process and counted in its RSS, though most of it never runs
/// again. These are clean file pages: telling the kernel they are not needed (`MADV_DONTNEED`)
/// unmaps them, and the code that does run again faults back in, from the page cache.
///
/// Only the executable's read-and-execute mapping is released, and only when it holds no
/// anonymous (written) pages: writable and relocated mappings (`.data`, `.data.rel.ro`) would lose
/// their contents.
enum StartupCodePages {
    /// Releases the executable's mapped code pages; returns the bytes that were resident, or `nil`
    /// when the mapping was not found or holds written pages (then nothing is released).
    static func release() -> Int? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            let smaps = try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        else { return nil }
        var released = 0
        var current: (start: UInt, end: UInt, resident: Int, written: Int)?
        var found = false
        func finish() {
            guard let mapping = current else { return }
            current = nil
            guard mapping.written == 0 else { return }
            let start = UnsafeMutableRawPointer(bitPattern: mapping.start)
            if madvise(start, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 {
                released += mapping.resident
                found = true
            }
        }
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = parts.first, range.contains("-"), parts.count >= 5 {
                // A mapping's first line: "start-end perms offset device inode [path]".
                finish()
                guard parts.count == 6, parts[1] == "r-xp", parts[5] == executable[...] else { continue }
                let bounds = range.split(separator: "-")
                guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16) else { continue }
                current = (start, end, 0, 0)
            } else if current != nil, parts.count >= 2, let kib = Int(parts[1]) {
                switch parts[0] {
                case "Rss:": current!.resident = kib * 1024
                // Pages written since mapping (relocations) are private anonymous copies.
                case "Anonymous:": current!.written += kib
                default: break
                }
            }
        }
        finish()
        return found ? released : nil
    }
}
