import Foundation
import Testing
import VigilCore
import VigilTestSupport

/// `vigil replay`, `vigil templates` and `vigil detect-series` as a user runs them.
@Suite struct DetectionCommandTests {
    /// Seven errors of one service within 6 s, and a quiet second service.
    static let burst = (1...7).map { "<11>1 2026-06-15T10:00:0\($0)Z web-1 payments - - - card declined for order \($0)" }
        .joined(separator: "\n") + "\n<14>1 2026-06-15T10:00:03Z web-1 api - - - GET /health 200\n"

    @Test func replayOverFilesAndOverTheStoreGiveTheSameSignals() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = scratch.file("burst.log", Self.burst)
        let fromFile = try await vigil(["replay", file])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.lines.count == 1)
        #expect(fromFile.lines.first?.hasPrefix("FIRING   2026-06-15T10:00:01Z .. 2026-06-15T10:00:06Z err") == true)
        #expect(fromFile.lines.first?.hasSuffix("errors count=6 score=1.00 payments: 6 errors in 1m") == true)
        #expect(fromFile.stderr == "replayed 8 records: 1 signals (1 firing, 0 resolved)\n")

        let data = scratch.path + "/data"
        #expect(try await vigil(["import", "--data-dir", data, file]).status == 0)
        let fromStore = try await vigil(["replay", "--data-dir", data, "-o", "json"])
        #expect(fromStore.lines.count == 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(fromStore.lines[0].utf8)) as? [String: Any])
        #expect(object["name"] as? String == "errors")
        #expect(object["status"] as? String == "firing")
        #expect(object["key"] as? [String: String] == ["service": "payments"])
        #expect((object["evidence"] as? [Any])?.count == 5)
        #expect((object["fingerprint"] as? String)?.count == 16)
        // A time range that leaves out the burst's start gives no signal.
        #expect(try await vigil(["replay", "--data-dir", data, "--since", "2026-06-15T10:00:03Z"]).lines.isEmpty)
    }

    @Test func replayUsesTheRulesOfTheConfiguration() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = scratch.file("burst.log", Self.burst)
        scratch.file(
            "etc/conf.d/40-rules.toml",
            """
            [[rules]]
            name = "errors"
            enabled = false
            [[rules]]
            name = "declines"
            threshold = 2
            window = "2s"
            title = "{service}: {count} declines"
            [rules.match]
            message = "declined"
            """)
        let result = try await vigil(["replay", "--config", scratch.path + "/etc", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.first?.contains("declines count=3") == true)
        #expect(!result.stdout.contains(" errors "))

        scratch.file("bad/conf.d/40-rules.toml", "[[rules]]\nname = \"x\"\n[rules.match]\nmessage = \"(unclosed\"\n")
        let bad = try await vigil(["replay", "--config", scratch.path + "/bad", file])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("40-rules.toml:4: rules[0].match.message: invalid regular expression"))
    }

    @Test func templatesListAndAssign() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = scratch.file(
            "sshd.log",
            """
            Accepted publickey for alice from 10.0.0.1 port 50022 ssh2
            Failed password for www-data from 192.168.1.9 port 41234 ssh2
            Accepted publickey for bob from 10.0.0.2 port 50023 ssh2
            Failed password for svc-ci from 192.168.1.10 port 41235 ssh2
            Accepted publickey for carol from 10.0.0.3 port 50024 ssh2
            Accepted publickey for dave from 10.0.0.4 port 50025 ssh2

            """)
        // User names that are words make templates of their own until the fourth (word_variants);
        // --assign prints the ids as of the end, when the four have merged. Names merge at once.
        let assigned = try await vigil(["templates", "--assign", "--format", "raw", file])
        #expect(assigned.status == 0, "\(assigned.stderr)")
        #expect(assigned.lines.count == 6)
        #expect(Set([0, 2, 4, 5].map { assigned.lines[$0] }).count == 1)
        #expect(assigned.lines[1] == assigned.lines[3] && assigned.lines[1] != assigned.lines[0])

        let listed = try await vigil(["templates", "--format", "raw", "-o", "json", file])
        let templates = try listed.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(templates.map { $0["count"] as? Int } == [4, 2])
        #expect(templates[0]["template"] as? String == "Accepted publickey for <*> from <IP> port <NUM> ssh2")
        let table = try await vigil(["templates", "--format", "raw", file])
        #expect(table.lines.first?.contains("TEMPLATE") == true)
        #expect(table.lines.count == 3)
    }

    @Test func detectSeriesScoresEachRow() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var csv = "timestamp,value\r\n"
        for i in 0..<300 {
            let minute = String(format: "%02d", i % 60)
            let hour = String(format: "%02d", i / 60)
            csv += "2026-06-15 \(hour):\(minute):00,\(i == 250 ? 500 : 10 + i % 3)\r\n"
        }
        let file = scratch.file("series.csv", csv)
        let result = try await vigil(["detect-series", "--csv", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 301)
        #expect(result.lines[0] == "timestamp,value,anomaly_score")
        let scores = result.lines.dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(scores.allSatisfy { (0...1).contains($0) })
        #expect(scores[0..<150].allSatisfy { $0 == 0 })  // the warm-up
        #expect(scores[250] == scores.max())
        #expect(scores[250] > 0.5)
        #expect(result.lines[251].hasPrefix("2026-06-15 04:10:00,500,"))

        let bad = try await vigil(["detect-series", "--csv", scratch.file("bad.csv", "t,v\nyesterday,3\n")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.csv:2: cannot understand the timestamp 'yesterday'"))
    }

    @Test func detectSeriesScoresEveryRowOfAHostileSeries() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // NaN, infinities, negative and enormous values, a duplicate and an out-of-order timestamp,
        // in the warm-up and after it.
        var rows = ["timestamp,value"]
        let hostile = ["nan", "inf", "-inf", "-1e300", "1e308", "-7", "0"]
        for index in 0..<400 {
            let minute = index == 200 ? 150 : index  // an earlier time again
            let stamp = String(format: "2026-06-15 %02d:%02d:00", 4 + minute / 60, minute % 60)
            let value = index % 37 == 5 ? hostile[(index / 37) % hostile.count] : String(100 + index % 7)
            rows.append("\(stamp),\(value)")
            if index == 300 { rows.append("\(stamp),\(value)") }  // the same time twice
        }
        let file = scratch.file("hostile.csv", rows.joined(separator: "\n") + "\n")
        for arguments in [["detect-series", "--csv", file], ["detect-series", "--csv", file, "--bucket", "1m"]] {
            let result = try await vigil(arguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.lines.count == rows.count, "one score per row")
            let scores = result.lines.dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
            #expect(scores.count == rows.count - 1)
            #expect(scores.allSatisfy { $0.isFinite && (0...1).contains($0) })
        }
    }

    /// The rate detector vigild runs and `vigil detect-series` are one scorer: a count series put
    /// into a store and replayed (the daemon's detection engine) opens rate signals exactly at the
    /// buckets where detect-series scores the same counts at the open threshold, with the same
    /// scores (`RateSeriesAgreement`).
    @Test func replayOfACountSeriesOpensWhereDetectSeriesScoresAnAlert() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let series = RateSeriesAgreement()
        var log = ""
        for bucket in series.counts.indices {
            for nanos in series.times(ofBucket: bucket) {
                log += "<14>1 \(TimeFormatter.rfc3339(nanos, fractionDigits: 6)) web-1 api - - - GET /x 200\n"
            }
        }
        let data = scratch.path + "/data"
        let imported = try await vigil(["import", "--data-dir", data, scratch.file("series.log", log)])
        #expect(imported.status == 0, "\(imported.stderr)")
        let replayed = try await vigil(["replay", "--data-dir", data, "-o", "json"])
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let signals = try replayed.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            .filter { $0["detector"] as? String == "rate" }
        let scored = try await vigil(["detect-series", "--bucket", "10s", "--csv", scratch.file("series.csv", series.csv)])
        #expect(scored.status == 0, "\(scored.stderr)")
        let problems = series.problems(signals: signals, detectSeriesLines: scored.lines)
        #expect(problems.isEmpty, "\(problems)")
    }
}
