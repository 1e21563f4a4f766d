import Foundation
import Testing
import VigilTestSupport

/// What the real vigild keeps resident.
@Suite struct ResidentMemoryTests {
    static func residentCode(of pid: Int32) throws -> Int {
        try ResidentCode.bytes(process: "\(pid)", pathSuffix: "/vigild")
    }

    @Test func theCodePagesStartUpMappedAreReleasedTenSecondsAfterStart() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        let started = Date()
        try daemon.start()
        let pid = daemon.process!.processIdentifier
        let afterStartUp = try Self.residentCode(of: pid)
        #expect(afterStartUp > 0)
        // The maintenance service releases them at its first tick 10 s after it started.
        var now = try Self.residentCode(of: pid)
        while now * 2 > afterStartUp, Date().timeIntervalSince(started) < 20 {
            Thread.sleep(forTimeInterval: 0.5)
            now = try Self.residentCode(of: pid)
        }
        #expect(now * 2 <= afterStartUp, "resident code \(afterStartUp) bytes after start-up, \(now) now")
        #expect(Date().timeIntervalSince(started) >= 10)
        // It keeps working: a record still arrives and is stored.
        try curl(["-X", "POST", "--data-binary", #"{"message":"after the release","service":"test"}"#, daemon.url + "/v1/logs"])
        #expect(try daemon.waitForRecords(1).count == 1)
        #expect(daemon.stop() == 0)
    }
}
