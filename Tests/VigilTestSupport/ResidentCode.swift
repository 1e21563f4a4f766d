import Foundation

/// How much of an executable's machine code a process has resident, from `/proc/PID/smaps`: for
/// tests of `StartupCodePages`, in the test process and in a real vigild.
public enum ResidentCode {
    /// The resident bytes of the read-and-execute mappings, in process `process` ("self" for this
    /// one), of files whose path ends with `pathSuffix`.
    public static func bytes(process: String = "self", pathSuffix: String) throws -> Int {
        let smaps = try String(contentsOfFile: "/proc/\(process)/smaps", encoding: .utf8)
        var inCode = false
        var resident = 0
        for line in smaps.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 5, parts[0].contains("-") {
                // A mapping's first line: "start-end perms offset device inode [path]".
                inCode = parts.count == 6 && parts[1] == "r-xp" && parts[5].hasSuffix(pathSuffix)
            } else if inCode, parts.first == "Rss:", let kib = Int(parts[1]) {
                resident += kib * 1024
            }
        }
        return resident
    }
}
