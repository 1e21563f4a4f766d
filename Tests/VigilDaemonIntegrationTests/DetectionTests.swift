import Foundation
import Testing
import VigilCore
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

    /// Decoded signals of `GET /v1/signals`.
    static func signals(of daemon: DaemonProcess) async throws -> [[String: Any]] {
        try await curl([daemon.url + "/v1/signals"]).lines.map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    static func beat(_ daemon: DaemonProcess, _ number: Int) async throws {
        let body = #"{"service": "heartbeat", "level": "info", "message": "beat \#(number)"}"#
        let result = try await curl(["-fsS", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body, daemon.url + "/v1/logs"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func anAbsentRuleFiresWhenAStreamStopsStaysQuietAcrossARestartAndReplayAgrees() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(
            scratch: scratch,
            extraConfiguration: """
                [detectors]
                lateness = "1s"
                [[rules]]
                name = "heartbeat-missing"
                kind = "absent"
                for = "3s"
                severity = "warning"
                [rules.match]
                service = "heartbeat"
                """)
        try await daemon.start()
        for number in 1...3 { try await Self.beat(daemon, number) }
        // No record at all after the third beat: the wall clock moves event time on.
        var firing: [String: Any] = [:]
        try await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            firing = try await Self.signals(of: daemon).first { $0["status"] as? String == "firing" } ?? [:]
            return !firing.isEmpty
        }
        #expect(firing["name"] as? String == "heartbeat-missing")
        #expect(firing["title"] as? String == "heartbeat-missing: no records from heartbeat for 3s")
        #expect((firing["evidence"] as? [[String: Any]])?.map { $0["message"] as? String } == ["beat 3"])
        #expect(await daemon.stop() == 0)
        let saved = try String(contentsOfFile: daemon.dataDirectory + "/absence.json", encoding: .utf8)
        #expect(saved.contains(#""firing":true"#))

        // Restarted (and re-warmed from the store): the silence is still known and not reported twice.
        try await daemon.start()
        try await Task.sleep(for: .seconds(5))
        #expect(try await Self.signals(of: daemon).isEmpty)
        try await Self.beat(daemon, 4)
        var resolved: [String: Any] = [:]
        try await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            resolved = try await Self.signals(of: daemon).first { $0["status"] as? String == "resolved" } ?? [:]
            return !resolved.isEmpty
        }
        #expect(resolved["fingerprint"] as? String == firing["fingerprint"] as? String)
        #expect(resolved["start"] as? String == firing["start"] as? String)
        #expect(await daemon.stop() == 0)

        // vigil replay over the store gives the daemon's two signals.
        let replay = try await runProcess(
            "vigil", ["replay", "--data-dir", daemon.dataDirectory, "--config", daemon.configDirectory, "-o", "json"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let replayed = try replay.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(replayed.map { $0["status"] as? String } == ["firing", "resolved"])
        for (ours, theirs) in zip(replayed, [firing, resolved]) {
            for key in ["fingerprint", "start", "end", "title"] {
                #expect(ours[key] as? String == theirs[key] as? String, "\(key)")
            }
        }
    }

    /// The rate detector vigild runs and `vigil detect-series` are one scorer: a count series posted
    /// over HTTP opens rate signals in the running daemon exactly at the buckets where
    /// detect-series scores the same counts at the open threshold, with the same scores
    /// (`RateSeriesAgreement`). The series is from the past, so event time follows the records
    /// only (`wall_clock = false`).
    @Test func vigildOpensRateSignalsWhereDetectSeriesScoresAnAlert() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: "[detectors]\nwall_clock = false\n")
        try await daemon.start()
        let series = RateSeriesAgreement()
        var body = ""
        func send() async throws {
            let file = scratch.file("batch.ndjson", body)
            let result = try await curl([
                "-fsS", "-X", "POST", "-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + file, daemon.url + "/v1/logs",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            body = ""
        }
        for bucket in series.counts.indices {
            for nanos in series.times(ofBucket: bucket) {
                body += #"{"time":"\#(TimeFormatter.rfc3339(nanos, fractionDigits: 6))","service":"api","host":"web-1","level":"info","msg":"GET /x 200"}"# + "\n"
            }
            if bucket % 30 == 29 { try await send() }
        }
        // A record a minute after the series moves event time past its last bucket.
        let after = (RateSeriesAgreement.base + Int64(series.counts.count) * 10 + 60) * 1_000_000_000
        body += #"{"time":"\#(TimeFormatter.rfc3339(after, fractionDigits: 0))","service":"clock","msg":"tick"}"# + "\n"
        try await send()
        _ = try await daemon.waitForRecords(series.counts.reduce(0, +) + 1, ["--since", "2026-06-15T00:00:00Z"], timeout: .seconds(30))

        let scored = try await runProcess("vigil", ["detect-series", "--bucket", "10s", "--csv", scratch.file("series.csv", series.csv)])
        #expect(scored.status == 0, "\(scored.stderr)")
        // The rate signals of the series (the stream's silence after it is another matter).
        var signals: [[String: Any]] = []
        try await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            signals = try await Self.signals(of: daemon).filter {
                $0["detector"] as? String == "rate" && series.bucket(of: $0["start"]).map { $0 < series.counts.count } == true
            }
            return signals.filter { $0["status"] as? String == "firing" }.count >= 2
        }
        let problems = series.problems(signals: signals, detectSeriesLines: scored.lines)
        #expect(problems.isEmpty, "\(problems)")
        await daemon.stop()
    }
}
