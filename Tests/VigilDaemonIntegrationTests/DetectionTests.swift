import Foundation
import Testing
import VigilTestSupport

/// The detectors inside the running vigild: fed from committed batches, re-warmed on restart.
@Suite(.serialized) struct DetectionTests {
    /// Sends seven errors from `payments` with `logger` (the default rule fires above five in a
    /// minute) and returns the first signal `GET /v1/signals` lists.
    static func sendErrorsAndWaitForASignal(to daemon: DaemonProcess) async throws -> [String: Any] {
        for i in 1...7 {
            try await logger(["-n", "127.0.0.1", "-P", "\(daemon.udpPort)", "-d", "--rfc5424", "-t", "payments", "-p", "user.err", "card declined \(i)"])
        }
        var signals: [String] = []
        try await waitUntil {
            signals = try await curl([daemon.url + "/v1/signals"]).lines
            return !signals.isEmpty
        }
        return try #require(JSONSerialization.jsonObject(with: Data(signals[0].utf8)) as? [String: Any])
    }

    @Test func aBurstOfErrorsFiresTheDefaultRuleOnceAcrossARestart() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: "[detectors]\nlateness = \"1s\"\n")
        try await daemon.start()
        let signal = try await Self.sendErrorsAndWaitForASignal(to: daemon)
        #expect(signal["name"] as? String == "errors")
        #expect(signal["title"] as? String == "payments: 6 errors in 1m")
        #expect((signal["evidence"] as? [[String: Any]])?.first?["message"] as? String == "card declined 2")
        #expect(try await curl([daemon.url + "/metrics"]).stdout.contains("vigil_detect_signals_total{detector=\"rule\",status=\"firing\"} 1"))
        #expect(await daemon.stop() == 0)
        #expect(FileManager.default.fileExists(atPath: daemon.dataDirectory + "/detect.watermark"))

        // After a restart the detectors re-warm from the store and do not fire on the same records.
        try await daemon.start()
        #expect(daemon.log.contains("detectors re-warmed from the store"))
        try await Task.sleep(for: .seconds(3))
        #expect(try await curl([daemon.url + "/v1/signals"]).stdout.isEmpty)
        #expect(await daemon.stop() == 0)
        #expect(daemon.log.components(separatedBy: "signal firing").count - 1 == 1)
    }

    @Test func aRecordStampedHoursAheadIsStoredButDoesNotBlindTheDetectors() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: "[detectors]\nlateness = \"1s\"\n")
        try await daemon.start()
        // A sender eight hours ahead (a host writing local time as UTC): evaluated, it would move
        // event time on by eight hours and leave every record after it late.
        let ahead = ISO8601DateFormatter().string(from: Date().addingTimeInterval(8 * 3600))
        let body = #"{"time": "\#(ahead)", "service": "skewed", "level": "info", "message": "from the future"}"#
        #expect(try await curl(["-fsS", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body, daemon.url + "/v1/logs"]).status == 0)
        _ = try await daemon.waitForRecords(1)
        let signal = try await Self.sendErrorsAndWaitForASignal(to: daemon)
        #expect(signal["name"] as? String == "errors")
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        #expect(metrics.contains("vigil_detect_future_records_total 1"))
        #expect(metrics.contains("vigil_detect_late_records_total 0"))
        #expect(try await daemon.query(["--service", "skewed"]).first?["message"] as? String == "from the future")
        #expect(daemon.log.contains("records stamped ahead of this host's clock are stored but not evaluated"))
        // Not in a `defer`, which cannot await: a throw above leaves the daemon to the SIGKILL of its deinit.
        await daemon.stop()
    }
}
