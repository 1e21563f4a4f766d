import Foundation
import Testing
import VigilTestSupport
@testable import VigilDaemon

/// Releasing the executable's mapped code pages (`StartupCodePages`) in this test process: the
/// pages leave the resident set, and the code they held runs on (it faults back in).
@Suite struct StartupCodePagesTests {
    static func residentCode() throws -> Int {
        try ResidentCode.bytes(pathSuffix: FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
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
