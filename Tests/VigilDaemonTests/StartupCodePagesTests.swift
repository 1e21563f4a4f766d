import Foundation
import Testing
@testable import VigilDaemon

/// Releasing the executable's mapped code pages (`StartupCodePages`) in this test process: the
/// pages leave the resident set, and the code they held runs on (it faults back in).
@Suite struct StartupCodePagesTests {
    /// The resident bytes of this executable's read-and-execute mapping, from `/proc/self/smaps`.
    static func residentCode() throws -> Int {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let smaps = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var inCode = false
        var resident = 0
        for line in smaps.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 5, parts[0].contains("-") {
                inCode = parts.count == 6 && parts[1] == "r-xp" && parts[5] == executable[...]
            } else if inCode, parts.first == "Rss:", let kib = Int(parts[1]) {
                resident += kib * 1024
            }
        }
        return resident
    }

    @Test func releasedPagesLeaveTheResidentSetAndTheCodeRunsOn() throws {
        let before = try Self.residentCode()
        #expect(before > 0)
        let released = try #require(StartupCodePages.release())
        #expect(released > 0)
        // The code that reads smaps (and tests running meanwhile) fault some pages back in.
        let after = try Self.residentCode()
        #expect(after < before, "resident code went from \(before) to \(after) bytes")
        // Code from all over the executable still runs.
        #expect(try Self.residentCode() > 0)
        #expect(["b", "a"].sorted() == ["a", "b"])
    }
}
