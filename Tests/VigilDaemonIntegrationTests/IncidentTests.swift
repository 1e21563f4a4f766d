import Foundation
import Testing
import VigilTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Incidents in the running vigild: opened by the detectors, managed through the API and
/// `vigil incidents`, raised by the Events API, and kept across restarts and crashes.
@Suite(.serialized) struct IncidentTests {
    /// Detection settings that resolve a rule within seconds: lateness 1 s, a 5 s window.
    static let quickRule = """
        [detectors]
        lateness = "1s"
        [[rules]]
        name = "errors"
        window = "5s"
        threshold = 5
        title = "{service}: {count} errors in {window}"
        [rules.match]
        severity = "err"
        """

    /// `count` NDJSON records of `service` at `level`, stamped now.
    static func records(_ count: Int, service: String, level: String = "err", message: String = "db timeout") -> String {
        let now = ISO8601DateFormatter.withFractions.string(from: Date())
        return (1...count).map { #"{"time":"\#(now)","service":"\#(service)","level":"\#(level)","message":"\#(message) \#($0)"}"# }
            .joined(separator: "\n") + "\n"
    }

    @Test func errorsOverHTTPOpenOneIncidentThatIsAcknowledgedResolvedAndReopened() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: Self.quickRule)
        try await daemon.start()
        try await daemon.post(Self.records(6, service: "checkout") + Self.records(3, service: "checkout", level: "info", message: "ok"))
        let opened = try await daemon.waitForIncident { $0["status"] as? String == "firing" }
        #expect(opened["reference"] as? String == "INC-1")
        #expect(opened["title"] as? String == "checkout: 6 errors in 5s")
        #expect(opened["severity"] as? String == "error")
        #expect(opened["labels"] as? [String: String] == ["service": "checkout"])
        #expect(try await daemon.incidents().count == 1)

        // The evidence, read back from the store: the six errors, not the info records.
        let logs = try await daemon.vigil(["incidents", "logs", "INC-1", "-o", "json"])
        let messages = logs.lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["message"] as? String }
        #expect(messages == (1...6).map { "db timeout \($0)" })
        let short = try await daemon.vigil(["incidents", "logs", "INC-1"])
        #expect(short.lines.count == 6 && short.lines.allSatisfy { $0.contains(" checkout: db timeout ") })
        let table = try await daemon.vigil(["incidents", "list"])
        #expect(table.lines.first?.hasPrefix("ID ") == true)
        #expect(table.lines.dropFirst().first?.hasPrefix("INC-1  firing") == true)

        let acknowledged = try await daemon.vigil(["incidents", "ack", "INC-1"])
        #expect(acknowledged.stdout == "INC-1 acknowledged: acknowledged, checkout: 6 errors in 5s\n")
        // The rule's window drains: the detector resolves the incident.
        let resolved = try await daemon.waitForIncident(timeout: .seconds(30)) { $0["status"] as? String == "resolved" }
        #expect(resolved["resolved_by"] as? String == "auto")
        #expect(resolved["acknowledged_by"] as? String == "ops")

        // Errors again within the reopen window: the same incident reopens, counting a flap.
        try await daemon.post(Self.records(6, service: "checkout"))
        let reopened = try await daemon.waitForIncident { $0["status"] as? String == "firing" }
        #expect(reopened["reference"] as? String == "INC-1")
        #expect(reopened["flap_count"] as? Int == 1)
        #expect(reopened["signal_count"] as? Int == 2)
        #expect(try await daemon.incidents().count == 1)
        let timeline = try await daemon.vigil(["incidents", "timeline", "INC-1", "-o", "json"]).lines.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["type"] as? String
        }
        #expect(timeline == ["opened", "acknowledged", "resolved", "reopened"].map { "com.vigil.incident.\($0).v1" })
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        #expect(metrics.contains("vigil_incident_transitions_total{type=\"reopened\"} 1"))
        #expect(metrics.contains("vigil_incidents_open{severity=\"error\"} 1"))
        #expect(await daemon.stop() == 0)
    }

    @Test func aRestartOpensNothingAgain() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: Self.quickRule)
        try await daemon.start()
        try await daemon.post(Self.records(7, service: "billing"))
        _ = try await daemon.waitForIncident { _ in true }
        #expect(await daemon.stop() == 0)
        try await daemon.start()
        // Re-warming replays the store's tail silently: the rule does not fire again.
        try await Task.sleep(for: .seconds(3))
        let incidents = try await daemon.incidents()
        #expect(incidents.count == 1)
        #expect(incidents.first?["signal_count"] as? Int == 1)
        #expect(daemon.log.components(separatedBy: "incident opened").count - 1 == 1)
        #expect(await daemon.stop() == 0)
    }

    @Test func thePagerDutyEventsAPITriggersAndResolves() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let trigger = """
            {"routing_key": "\(DaemonProcess.apiToken)", "event_action": "trigger", "dedup_key": "backup-db1",
             "payload": {"summary": "nightly backup failed", "source": "db1", "severity": "critical",
                         "component": "postgres", "custom_details": {"exit_code": 2}}}
            """
        let accepted = try await daemon.api("POST", "/v1/events", body: trigger, token: nil)
        #expect(accepted.status == 202)
        #expect(accepted.json["status"] as? String == "success")
        #expect(accepted.json["dedup_key"] as? String == "backup-db1")
        _ = try await daemon.api("POST", "/v1/events", body: trigger, token: nil)
        let incident = try #require(try await daemon.incidents().first)
        #expect(incident["detector"] as? String == "events")
        #expect(incident["severity"] as? String == "critical")
        #expect(incident["title"] as? String == "nightly backup failed")
        #expect(incident["signal_count"] as? Int == 2)
        #expect((incident["labels"] as? [String: String])?["component"] == "postgres")
        let detail = try await daemon.api("GET", "/v1/incidents/INC-1")
        #expect(((detail.json["notes"] as? [[String: Any]])?.first?["text"] as? String) == #"custom_details: {"exit_code":2}"#)

        // A trigger without a key gets one.
        let keyless = try await daemon.api(
            "POST", "/v1/events", body: #"{"event_action":"trigger","payload":{"summary":"disk full","source":"web1","severity":"warning"}}"#)
        #expect(keyless.status == 202)
        #expect((keyless.json["dedup_key"] as? String)?.count == 32)

        let resolve = try await daemon.api("POST", "/v1/events", body: #"{"event_action":"resolve","dedup_key":"backup-db1"}"#)
        #expect(resolve.status == 202)
        let resolved = try await daemon.api("GET", "/v1/incidents/INC-1")
        #expect(resolved.json["status"] as? String == "resolved")
        #expect(resolved.json["resolved_by"] as? String == "ops")

        let invalid = try await daemon.api("POST", "/v1/events", body: #"{"event_action":"trigger","payload":{"summary":"x","source":"y","severity":"fatal"}}"#)
        #expect(invalid.status == 400)
        #expect(invalid.json["status"] as? String == "invalid event")
        #expect(invalid.json["error"] as? String == "payload.severity must be critical, error, warning or info")
        let noKey = try await daemon.api("POST", "/v1/events", body: #"{"event_action":"acknowledge"}"#)
        #expect(noKey.status == 400)
        let wrongKey = try await daemon.api(
            "POST", "/v1/events", body: #"{"routing_key":"nope","event_action":"resolve","dedup_key":"backup-db1"}"#, token: nil)
        #expect(wrongKey.status == 401)
        #expect(try await daemon.incidents().count == 2)
        #expect(await daemon.stop() == 0)
    }

    @Test func theAPIRefusesBadRequestsAndChangesNothing() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, api: "max_body_bytes = \"1KiB\"")
        try await daemon.start()
        _ = try await daemon.api(
            "POST", "/v1/events", body: #"{"event_action":"trigger","dedup_key":"k","payload":{"summary":"s","source":"h","severity":"error"}}"#)
        _ = try await daemon.api("POST", "/v1/incidents/INC-1/resolve")

        #expect(try await daemon.api("GET", "/v1/incidents", token: nil).status == 401)
        #expect(try await daemon.api("POST", "/v1/incidents/INC-1/reopen", token: nil).status == 401)
        let wrong = try await daemon.api("POST", "/v1/incidents/INC-1/reopen", token: "test-tokeN")
        #expect(wrong.status == 401)
        #expect(wrong.json["error"] as? String == "a valid bearer token is required")
        #expect(try await daemon.api("GET", "/v1/incidents/INC-404").status == 404)
        #expect(try await daemon.api("GET", "/v1/incidents/INC-404").json["error"] as? String == "no incident INC-404")
        let conflict = try await daemon.api("POST", "/v1/incidents/INC-1/ack")
        #expect(conflict.status == 409)
        #expect(conflict.json["error"] as? String == "cannot acknowledge INC-1: it is resolved; only a firing incident can be acknowledged")
        let merge = try await daemon.api("POST", "/v1/incidents/INC-1/merge", body: #"{"into": "INC-1"}"#)
        #expect(merge.status == 409)
        #expect(try await daemon.api("POST", "/v1/incidents/INC-1/merge", body: #"{"into": "#).status == 400)
        #expect(try await daemon.api("POST", "/v1/incidents/INC-1/merge", body: #"{"onto": "INC-2"}"#).status == 400)
        #expect(try await daemon.api("POST", "/v1/incidents/INC-1/notes", body: "text=hi", contentType: "application/x-www-form-urlencoded").status == 415)
        let large = #"{"text": "\#(String(repeating: "x", count: 2000))"}"#
        #expect(try await daemon.api("POST", "/v1/incidents/INC-1/notes", body: large).status == 413)
        #expect(try await daemon.api("PATCH", "/v1/incidents/INC-1", body: #"{"assignee": 7}"#).status == 400)
        #expect(try await daemon.api("GET", "/v1/incidents?status=open").status == 400)
        #expect(try await daemon.api("GET", "/v1/incidents?limit=0").status == 400)
        // Nothing changed: the timeline holds the trigger and the resolution only.
        let timeline = try await daemon.api("GET", "/v1/incidents/INC-1/timeline")
        #expect((timeline.json["events"] as? [[String: Any]])?.count == 2)
        #expect(await daemon.stop() == 0)
    }

    @Test func anonymousReadsAreForLoopbackReadsOnly() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, api: "anonymous_reads = true")
        try await daemon.start()
        #expect(try await daemon.api("GET", "/v1/incidents", token: nil).status == 200)
        #expect(try await daemon.api("GET", "/v1/reports/incidents", token: nil).status == 200)
        #expect(try await daemon.api("POST", "/v1/incidents/INC-1/ack", token: nil).status == 401)
        #expect(await daemon.stop() == 0)
    }

    @Test func racingClientsActExactlyOnce() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        for key in ["a", "b"] {
            _ = try await daemon.api(
                "POST", "/v1/events",
                body: #"{"event_action":"trigger","dedup_key":"\#(key)","payload":{"summary":"\#(key)","source":"h","severity":"error"}}"#)
        }
        let base = daemon.apiURL
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<20 {
                group.addTask {
                    switch client % 3 {
                    case 0: return try await managementAPI(base, "POST", "/v1/incidents/INC-1/ack").status
                    case 1: return try await managementAPI(base, "POST", "/v1/incidents/INC-1/resolve").status
                    default: return try await managementAPI(base, "POST", "/v1/incidents/INC-1/merge", body: #"{"into":"INC-2"}"#).status
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 409 })
        let events = try #require(try await daemon.api("GET", "/v1/incidents/INC-1/timeline").json["events"] as? [[String: Any]])
        #expect(statuses.filter { $0 == 200 }.count == events.count - 1)
        for type in ["acknowledged", "resolved", "merged"] {
            #expect(events.filter { $0["type"] as? String == "com.vigil.incident.\(type).v1" }.count <= 1)
        }
        let final = try await daemon.api("GET", "/v1/incidents/INC-1").json
        #expect((events.last?["data"] as? [String: Any])?["status"] as? String == final["status"] as? String)
        #expect(await daemon.stop() == 0)
    }

    @Test func aKillDuringAStormLosesNoCommittedChange() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: Self.quickRule)
        try await daemon.start()
        var batch = 0
        // Bursts of errors from many services until incidents are being written, then SIGKILL.
        try await eventually(timeout: .seconds(30), every: .milliseconds(10)) {
            batch += 1
            try await daemon.post((0..<100).map { Self.records(6, service: "svc-\(batch)-\($0)") }.joined())
            return try await daemon.sqlite("SELECT COUNT(*) FROM incidents") >= "150"
        }
        await daemon.stop(signal: SIGKILL)
        let database = daemon.dataDirectory + "/incidents.db"
        #expect(try await daemon.sqlite("PRAGMA integrity_check") == "ok")
        // Every incident has its opened event, every notifying event its outbox row, no fingerprint two incidents.
        #expect(try await daemon.sqlite("SELECT COUNT(*) FROM incidents WHERE id NOT IN (SELECT incident_id FROM timeline WHERE type = 'opened')") == "0")
        #expect(
            try await daemon.sqlite(
                "SELECT COUNT(*) FROM timeline WHERE type IN ('opened','severity_changed','acknowledged','resolved','reopened','merged') AND id NOT IN (SELECT event_id FROM outbox)"
            ) == "0")
        #expect(try await daemon.sqlite("SELECT COUNT(*) - COUNT(DISTINCT fingerprint) FROM incidents") == "0")
        let before = try await daemon.sqlite("SELECT COUNT(*) FROM incidents")
        try await daemon.start()
        try await Task.sleep(for: .seconds(3))
        // Nothing committed was lost, nothing duplicated; incidents whose signals the kill caught
        // before their commit may open now.
        let after = try await daemon.sqlite("SELECT COUNT(*) FROM incidents")
        #expect(Int(after)! >= Int(before)!)
        #expect(try await daemon.sqlite("SELECT COUNT(*) - COUNT(DISTINCT fingerprint) FROM incidents") == "0")
        #expect(FileManager.default.fileExists(atPath: database))
        #expect(await daemon.stop() == 0)
    }

    @Test func aCorruptIncidentDatabaseStopsStartupNamingTheFileAndKeepsIt() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        let path = daemon.dataDirectory + "/incidents.db"
        try FileManager.default.createDirectory(atPath: daemon.dataDirectory, withIntermediateDirectories: true)
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let result = try await runProcess("vigild", ["--config", daemon.configDirectory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(path) is not a Vigil incident database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func schemathesisFindsNoServerErrorAndResponsesMatchTheDocument() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: Self.quickRule)
        try await daemon.start()
        try await daemon.post(Self.records(6, service: "fuzzed"))
        _ = try await daemon.waitForIncident { _ in true }
        let result = try await runProcess(
            "/usr/bin/env",
            [
                "schemathesis", "run", daemon.apiURL + "/v1/openapi.json", "-H", "Authorization: Bearer \(DaemonProcess.apiToken)",
                "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
                "--max-examples", "15", "--seed", "1",
            ])
        #expect(result.status == 0, "\(result.stdout.suffix(4000))")
        #expect(await daemon.stop() == 0)
    }
}

extension ISO8601DateFormatter {
    /// RFC 3339 with milliseconds.
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}

/// An API answer: status and the decoded JSON body (empty when it is not JSON).
struct APIAnswer {
    let status: Int
    let json: [String: Any]
}

/// A request to the management API at `base` with curl.
func managementAPI(
    _ base: String, _ method: String, _ path: String, body: String? = nil, token: String? = DaemonProcess.apiToken,
    contentType: String = "application/json"
) async throws -> APIAnswer {
    var arguments = ["-X", method, "-w", "\n%{http_code}"]
    if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
    if body != nil { arguments += ["-H", "Content-Type: \(contentType)", "--data-binary", "@-"] }
    let result = try await curl(arguments + [base + path], stdin: body)
    let parts = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let status = Int(parts.last ?? "") ?? 0
    let text = parts.dropLast().joined(separator: "\n")
    let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    return APIAnswer(status: status, json: json)
}

extension DaemonProcess {
    /// POSTs NDJSON to `/v1/logs`, expecting 204.
    func post(_ ndjson: String) async throws {
        let result = try await curl(
            ["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Content-Type: application/x-ndjson", "--data-binary", "@-", url + "/v1/logs"],
            stdin: ndjson)
        guard result.stdout == "204" else { throw DaemonTestError(description: "POST /v1/logs answered \(result.stdout)") }
    }

    /// A management API request with curl (the `ops` token unless `token` says otherwise).
    func api(
        _ method: String, _ path: String, body: String? = nil, token: String? = DaemonProcess.apiToken,
        contentType: String = "application/json"
    ) async throws -> APIAnswer {
        try await managementAPI(apiURL, method, path, body: body, token: token, contentType: contentType)
    }

    /// `vigil ARGS` against this daemon's API with its token; fails on a non-zero exit.
    func vigil(_ arguments: [String]) async throws -> ProcessResult {
        let result = try await runProcess(
            "vigil", arguments, environment: ["VIGIL_SERVER": apiURL, "VIGIL_TOKEN": DaemonProcess.apiToken])
        guard result.status == 0 else { throw DaemonTestError(description: "vigil \(arguments) failed: \(result.stderr)") }
        return result
    }

    /// Every incident, as `vigil incidents list -o json` prints them.
    func incidents() async throws -> [[String: Any]] {
        try await vigil(["incidents", "list", "--all", "-o", "json"]).lines.compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Waits until the newest incident satisfies `condition`, and returns it.
    func waitForIncident(
        timeout: Duration = .seconds(15), _ condition: @escaping ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        var found: [String: Any]?
        try await eventually(timeout: timeout, every: .milliseconds(100)) {
            found = try await incidents().first.flatMap { condition($0) ? $0 : nil }
            return found != nil
        }
        guard let found else { throw DaemonTestError(description: "no incident as expected; log: \(log.suffix(2000))") }
        return found
    }

    /// One value from the incident database, with Debian's sqlite3.
    func sqlite(_ sql: String) async throws -> String {
        let result = try await runProcess("/usr/bin/sqlite3", [dataDirectory + "/incidents.db", sql])
        guard result.status == 0 else { throw DaemonTestError(description: "sqlite3 failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// SIGHUP applies edited rules: the new threshold holds for the next records, and the log says
/// exactly which rules changed.
@Suite(.serialized) struct RuleReloadTests {
    static func rules(threshold: Int, extra: String = "") -> String {
        """
        [detectors]
        lateness = "1s"
        [[rules]]
        name = "errors"
        window = "5s"
        threshold = \(threshold)
        title = "{service}: {count} errors in {window}"
        [rules.match]
        severity = "err"
        \(extra)
        """
    }

    @Test func anEditedRuleAppliesAfterSIGHUP() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        _ = scratch.file("etc/conf.d/30-rules.toml", Self.rules(threshold: 5))
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        try await daemon.post(IncidentTests.records(3, service: "before"))
        try await Task.sleep(for: .seconds(2))
        #expect(try await daemon.incidents().isEmpty)

        _ = scratch.file(
            "etc/conf.d/30-rules.toml",
            Self.rules(threshold: 2, extra: "[[rules]]\nname = \"timeouts\"\nthreshold = 100\n[rules.match]\nmessage = \"timeout\"\n"))
        kill(daemon.process!.processIdentifier, SIGHUP)
        try await eventually(timeout: .seconds(10)) { daemon.log.contains("detection reconfigured") }
        #expect(daemon.log.contains("rules added: timeouts; rules changed: errors"))
        #expect(daemon.log.contains("applied=\"rules and detectors\"") || daemon.log.contains("rules and detectors"))

        try await daemon.post(IncidentTests.records(3, service: "after"))
        let opened = try await daemon.waitForIncident { $0["status"] as? String == "firing" }
        #expect(opened["title"] as? String == "after: 3 errors in 5s")
        #expect(try await daemon.incidents().count == 1)
        #expect(await daemon.stop() == 0)
    }
}
