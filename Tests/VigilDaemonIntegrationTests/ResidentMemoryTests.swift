import Foundation
import Testing
import VigilTestSupport

/// What the real vigild keeps resident.
@Suite struct ResidentMemoryTests {
    static func residentCode(of pid: Int32) throws -> Int {
        try ResidentCode.bytes(process: "\(pid)", pathSuffix: "/vigild")
    }

    @Test func theCodePagesStartUpMappedAreReleasedTenSecondsAfterStart() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        let started = Date()
        try await daemon.start()
        let pid = daemon.process!.processIdentifier
        let afterStartUp = try Self.residentCode(of: pid)
        #expect(afterStartUp > 0)
        // The maintenance service releases them at its first tick 10 s after it started.
        var now = try Self.residentCode(of: pid)
        while now * 2 > afterStartUp, Date().timeIntervalSince(started) < 20 {
            try await Task.sleep(for: .milliseconds(500))
            now = try Self.residentCode(of: pid)
        }
        #expect(now * 2 <= afterStartUp, "resident code \(afterStartUp) bytes after start-up, \(now) now")
        #expect(Date().timeIntervalSince(started) >= 10)
        // It keeps working: a record still arrives and is stored.
        try await curl(["-X", "POST", "--data-binary", #"{"message":"after the release","service":"test"}"#, daemon.url + "/v1/logs"])
        #expect(try await daemon.waitForRecords(1).count == 1)
        #expect(await daemon.stop() == 0)
    }

    /// The daemon's resident memory, from /proc.
    static func resident(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ")[1])) * 1024
    }

    @Test func vigildAllocatesWithJemallocAndReturnsWhatABurstUsed() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let pid = daemon.process!.processIdentifier
        let maps = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)
        #expect(maps.contains("libjemalloc.so"))

        let atRest = try Self.resident(of: pid)
        // A burst: eight 4 MiB NDJSON bodies, one after the other.
        let line = #"{"message":"a burst of large bodies to see the memory come back","service":"burst","host":"h1","n":"#
        let body = (0..<40_000).map { line + "\($0)}" }.joined(separator: "\n")
        let file = scratch.path + "/burst.ndjson"
        try body.write(toFile: file, atomically: false, encoding: .utf8)
        for _ in 0..<8 {
            let result = try await curl([
                "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/x-ndjson",
                "--data-binary", "@" + file, daemon.url + "/v1/logs",
            ])
            #expect(["200", "204"].contains(result.stdout))
        }
        let peak = try Self.resident(of: pid)
        #expect(peak > atRest + (8 << 20), "resident \(atRest) bytes at rest, \(peak) after the burst")
        // What the burst freed decays and goes back within a few seconds (the maintenance service
        // asks every second): at least half of what the burst added.
        let started = Date()
        var now = peak
        while (peak - now) * 2 < peak - atRest, Date().timeIntervalSince(started) < 10 {
            try await Task.sleep(for: .milliseconds(500))
            now = try Self.resident(of: pid)
        }
        #expect((peak - now) * 2 >= peak - atRest, "resident \(atRest) at rest, \(peak) after the burst, \(now) now")
        #expect(await daemon.stop() == 0)
    }
}
