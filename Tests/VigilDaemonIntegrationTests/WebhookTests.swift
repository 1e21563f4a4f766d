import Foundation
import Testing
import VigilTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Webhooks from the running vigild to a real HTTP receiver (Tests/Support/webhook-receiver.py),
/// which checks every signature with the `standardwebhooks` package and with Python's hmac.
@Suite(.serialized) struct WebhookTests {
    static let secretA = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let secretB = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    /// A trigger (or resolve) through the Events API: the quickest way to open an incident.
    static func trigger(_ daemon: DaemonProcess, _ key: String, severity: String = "error") async throws {
        let body = #"{"event_action":"trigger","dedup_key":"\#(key)","payload":{"summary":"disk full on \#(key)","source":"db1","severity":"\#(severity)"}}"#
        let answer = try await daemon.api("POST", "/v1/events", body: body)
        guard answer.status == 202 else { throw DaemonTestError(description: "trigger answered \(answer.status)") }
    }

    static func resolve(_ daemon: DaemonProcess, _ key: String) async throws {
        let answer = try await daemon.api("POST", "/v1/events", body: #"{"event_action":"resolve","dedup_key":"\#(key)"}"#)
        guard answer.status == 202 else { throw DaemonTestError(description: "resolve answered \(answer.status)") }
    }

    @Test func signedNotificationsInEveryFormatArriveInOrderAndVerify() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let receiver = try await WebhookReceiver(scratch: scratch, secrets: [Self.secretA, Self.secretB])
        defer { receiver.stop() }
        let daemon = DaemonProcess(
            scratch: scratch,
            extraConfiguration: """
                [[webhooks]]
                name = "events"
                url = "\(receiver.url("/ok/events"))"
                secrets = ["\(Self.secretB)", "\(Self.secretA)"]
                headers = { "X-Team" = "ops" }
                [[webhooks]]
                name = "slack"
                format = "slack"
                url = "\(receiver.url("/ok/slack"))"
                secrets = ["\(Self.secretA)"]
                [[webhooks]]
                name = "pager"
                format = "pagerduty"
                url = "\(receiver.url("/accepted/pager"))"
                routing_key = "R0123456789ABCDEF0123456789ABCDE"
                [[webhooks]]
                name = "am"
                format = "alertmanager"
                url = "\(receiver.url("/ok/am"))"
                [[webhooks]]
                name = "critical-only"
                url = "\(receiver.url("/ok/critical"))"
                min_severity = "critical"
                """)
        try await daemon.start()
        let before = Date().timeIntervalSince1970
        try await Self.trigger(daemon, "db1")
        _ = try await receiver.waitFor(4) { ($0["kind"] as? String) != nil }
        try await Self.resolve(daemon, "db1")
        let requests = try await receiver.waitFor(8) { _ in true }
        func on(_ path: String) -> [[String: Any]] { requests.filter { $0["path"] as? String == path } }

        // Every request carries the three Standard Webhooks headers; signed ones verify with each
        // secret on its own (a receiver mid-rotation holds either), by both implementations.
        for request in requests {
            let headers = try #require(request["headers"] as? [String: String])
            #expect(headers["webhook-id"]?.hasPrefix("msg_") == true)
            let timestamp = try #require(headers["webhook-timestamp"].flatMap(Double.init))
            #expect(abs(timestamp - before) < 60)
            #expect(headers["user-agent"] == "Vigil-Webhooks/1")
        }
        for request in on("/ok/events") {
            #expect(request["library"] as? [Bool] == [true, true])
            #expect(request["hmac"] as? [Bool] == [true, true])
            #expect((request["headers"] as? [String: String])?["x-team"] == "ops")
            #expect((request["headers"] as? [String: String])?["content-type"] == "application/cloudevents+json")
        }
        for request in on("/ok/slack") {
            #expect(request["library"] as? [Bool] == [true, false])
            #expect(request["hmac"] as? [Bool] == [true, false])
        }
        for request in on("/ok/am") + on("/accepted/pager") {
            #expect((request["headers"] as? [String: String])?["webhook-signature"] == nil)
        }
        // In order, per endpoint: opened, then resolved.
        let events = on("/ok/events").map { WebhookReceiver.json($0)["type"] as? String }
        #expect(events == ["com.vigil.incident.opened.v1", "com.vigil.incident.resolved.v1"])
        let opened = WebhookReceiver.json(on("/ok/events")[0])
        #expect(opened["source"] as? String != nil && opened["subject"] as? String != nil)
        #expect(((opened["data"] as? [String: Any])?["reference"]) as? String == "INC-1")
        #expect((opened["dataref"] as? String)?.hasSuffix("/v1/incidents/INC-1") == true)
        #expect(on("/ok/slack").map { (WebhookReceiver.json($0)["text"] as? String)?.prefix(10) } == ["[FIRING] I", "[RESOLVED]"])
        #expect(on("/accepted/pager").map { WebhookReceiver.json($0)["event_action"] as? String } == ["trigger", "resolve"])
        #expect(Set(on("/accepted/pager").map { WebhookReceiver.json($0)["dedup_key"] as? String }).count == 1)
        #expect(on("/ok/am").map { WebhookReceiver.json($0)["status"] as? String } == ["firing", "resolved"])
        #expect(on("/ok/critical").isEmpty)

        // The CLI: the endpoints, the deliveries, and a test notification.
        let list = try await daemon.vigil(["webhooks", "list"]).lines
        #expect(list.first?.hasPrefix("NAME ") == true)
        #expect(list.contains { $0.hasPrefix("events ") && $0.contains(" active ") })
        let deliveries = try await daemon.vigil(["webhooks", "deliveries", "--incident", "INC-1", "-o", "json"]).lines
        #expect(deliveries.count == 8)
        #expect(deliveries.allSatisfy { $0.contains(#""state":"delivered""#) })
        let test = try await daemon.vigil(["webhooks", "test", "slack"])
        #expect(test.stdout.hasPrefix("slack: HTTP 200 in "))
        let sample = try await receiver.waitFor(9) { _ in true }.last!
        #expect((WebhookReceiver.json(sample)["text"] as? String)?.contains("Vigil test notification") == true)
        #expect(sample["library"] as? [Bool] == [true, false])
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        #expect(metrics.contains(#"vigil_webhook_deliveries_total{endpoint="events",outcome="delivered"} 2"#))
        #expect(await daemon.stop() == 0)
    }

    @Test func failuresAreRetriedWithOneIDRetryAfterIsHonouredGoneDisablesAndRefusalsAreDead() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let receiver = try await WebhookReceiver(scratch: scratch, secrets: [Self.secretA])
        defer { receiver.stop() }
        var configuration = ""
        for (name, path) in [("flaky", "/flaky/1"), ("slow", "/retry-after/1"), ("maintenance", "/unavailable/1"), ("bad", "/bad/1"), ("gone", "/gone/1")] {
            configuration += """
                [[webhooks]]
                name = "\(name)"
                url = "\(receiver.url(path))"
                secrets = ["\(Self.secretA)"]
                retry_schedule = ["200ms"]

                """
        }
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: configuration)
        try await daemon.start()
        try await Self.trigger(daemon, "db1")
        let requests = try await receiver.waitFor(3 + 2 + 2 + 1 + 1, timeout: .seconds(20)) { _ in true }
        func on(_ kind: String) -> [[String: Any]] { requests.filter { $0["kind"] as? String == kind } }

        // 500, 500, 200: three attempts with one webhook-id, one success.
        let flaky = on("flaky")
        #expect(flaky.map { $0["status"] as? Int } == [500, 500, 200])
        #expect(Set(flaky.map { ($0["headers"] as? [String: String])?["webhook-id"] }).count == 1)
        #expect(flaky.allSatisfy { $0["library"] as? [Bool] == [true] })
        // 429 with Retry-After: 2, and 503 with an HTTP date: the schedule's 200 ms is overruled.
        let slow = on("retry-after")
        #expect(slow.count == 2)
        if slow.count == 2 { #expect((slow[1]["time"] as! Double) - (slow[0]["time"] as! Double) >= 1.9) }
        let maintenance = on("unavailable")
        #expect(maintenance.count == 2)
        if maintenance.count == 2 { #expect((maintenance[1]["time"] as! Double) - (maintenance[0]["time"] as! Double) >= 0.9) }

        // 400: dead at once, with the receiver's answer kept.
        let dead = try await daemon.vigil(["webhooks", "deliveries", "--failed", "-o", "json"]).lines
        #expect(dead.count == 1)
        let deadDelivery = try #require(try JSONSerialization.jsonObject(with: Data(dead[0].utf8)) as? [String: Any])
        #expect(deadDelivery["endpoint"] as? String == "bad")
        #expect(deadDelivery["last_status"] as? Int == 400)
        #expect((deadDelivery["response"] as? String)?.contains("field 'x' is required") == true)
        // vigil webhooks retry sends it again, with the same webhook-id.
        let id = try #require(deadDelivery["id"] as? String)
        let retried = try await daemon.vigil(["webhooks", "retry", id])
        #expect(retried.stdout.hasPrefix("\(id) to bad queued again"))
        let again = try await receiver.waitFor(requests.count + 1) { _ in true }
        #expect(again.filter { $0["kind"] as? String == "bad" }.map { ($0["headers"] as? [String: String])?["webhook-id"] } == [id, id])

        // 410: the endpoint is disabled and told nothing more; its delivery stays queued.
        let list = try await daemon.vigil(["webhooks", "list"]).lines
        #expect(list.contains { $0.hasPrefix("gone ") && $0.contains("disabled (410 Gone)") && $0.contains(" 1 ") })
        try await Self.trigger(daemon, "db2")
        _ = try await receiver.waitFor(again.count + 1 + 1 + 1 + 1) { _ in true }
        try await Task.sleep(for: .milliseconds(500))
        #expect(receiver.requests().filter { $0["kind"] as? String == "gone" }.count == 1)
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        #expect(metrics.contains(#"vigil_webhook_deliveries_total{endpoint="gone",outcome="gone"} 1"#))
        #expect(metrics.contains(#"vigil_webhook_deliveries_total{endpoint="flaky",outcome="retried"} 2"#))
        #expect(daemon.log.contains("webhook disabled"))
        #expect(await daemon.stop() == 0)
    }

    @Test func pendingDeliveriesSurviveSIGKILLAndAreAllDelivered() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let receiver = try await WebhookReceiver(scratch: scratch, secrets: [])
        defer { receiver.stop() }
        let closed = Loopback.freePort()
        let dropIn = { (url: String) in
            _ = scratch.file("etc/conf.d/50-webhooks.toml", "[[webhooks]]\nname = \"ops\"\nurl = \"\(url)\"\nretry_schedule = [\"300ms\"]\n")
        }
        dropIn("http://127.0.0.1:\(closed)/nobody-listens")
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        for index in 1...10 { try await Self.trigger(daemon, "host\(index)") }
        var pending: [String] = []
        try await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
            pending = try await daemon.vigil(["webhooks", "deliveries", "--pending", "-o", "json"]).lines
            return pending.count == 10 && pending.allSatisfy { $0.contains("connection refused") }
        }
        #expect(pending.count == 10)
        let ids = Set(pending.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String })
        _ = await daemon.stop(signal: SIGKILL)

        dropIn(receiver.url("/ok/ops"))
        try await daemon.start()
        let received = try await receiver.waitFor(10, timeout: .seconds(15)) { _ in true }
        #expect(Set(received.compactMap { ($0["headers"] as? [String: String])?["webhook-id"] }) == ids)
        let references = Set(received.compactMap { (WebhookReceiver.json($0)["data"] as? [String: Any])?["reference"] as? String })
        #expect(references == Set((1...10).map { "INC-\($0)" }))
        try await eventually(timeout: .seconds(5)) {
            try await daemon.vigil(["webhooks", "deliveries", "--pending"]).lines.count == 1
        }
        #expect(await daemon.stop() == 0)
    }

    @Test func aHangingEndpointTimesOutAndDelaysNoOther() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let receiver = try await WebhookReceiver(scratch: scratch, secrets: [])
        defer { receiver.stop() }
        let daemon = DaemonProcess(
            scratch: scratch,
            extraConfiguration: """
                [[webhooks]]
                name = "stuck"
                url = "\(receiver.url("/hang/1"))"
                timeout = "2s"
                [[webhooks]]
                name = "fine"
                url = "\(receiver.url("/ok/fine"))"
                """)
        try await daemon.start()
        let before = Date().timeIntervalSince1970
        for key in ["a", "b", "c"] { try await Self.trigger(daemon, key) }
        let fine = try await receiver.waitFor(3, timeout: .seconds(5)) { $0["kind"] as? String == "ok" }
        #expect(fine.allSatisfy { ($0["time"] as! Double) - before < 1.0 })
        var stuck: [String] = []
        try await eventually(timeout: .seconds(10), every: .milliseconds(200)) {
            stuck = try await daemon.vigil(["webhooks", "deliveries", "--endpoint", "stuck", "--pending"]).lines
            return stuck.contains { $0.contains("timed out after 2s") }
        }
        #expect(stuck.contains { $0.contains("timed out after 2s") })
        _ = await daemon.stop(signal: SIGKILL)
    }

    @Test func aReloadKeepsTheQueueOfARemovedEndpointAndRemindersAndGroupsGoOut() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let receiver = try await WebhookReceiver(scratch: scratch, secrets: [])
        defer { receiver.stop() }
        let closed = Loopback.freePort()
        _ = scratch.file("etc/conf.d/50-webhooks.toml", "[[webhooks]]\nname = \"later\"\nurl = \"http://127.0.0.1:\(closed)/\"\n")
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        try await Self.trigger(daemon, "a")
        try await eventually(timeout: .seconds(10)) {
            try await daemon.vigil(["webhooks", "deliveries", "--pending"]).lines.count == 2
        }
        // Removed by a reload: its delivery is kept, listed and reported.
        _ = scratch.file(
            "etc/conf.d/50-webhooks.toml",
            """
            [[webhooks]]
            name = "team"
            format = "slack"
            url = "\(receiver.url("/ok/team"))"
            group_wait = "1s"
            repeat_interval = "2s"
            """)
        kill(daemon.process!.processIdentifier, SIGHUP)
        try await eventually(timeout: .seconds(10)) {
            try await daemon.vigil(["webhooks", "list"]).lines.contains { $0.hasPrefix("later ") && $0.contains(" removed ") && $0.contains(" 1 ") }
        }
        #expect(daemon.log.contains("webhook removed; its queued deliveries are kept"))

        // Two incidents opened within group_wait: one Slack message shows both.
        try await Self.trigger(daemon, "b")
        try await Self.trigger(daemon, "c")
        let grouped = try await receiver.waitFor(1, timeout: .seconds(10)) { _ in true }
        #expect((WebhookReceiver.json(grouped[0])["text"] as? String)?.hasPrefix("2 incidents: ") == true)
        // Still firing, not acknowledged: a reminder after repeat_interval, for each.
        let reminders = try await receiver.waitFor(3, timeout: .seconds(15)) { _ in true }
        #expect(reminders.dropFirst().allSatisfy { (WebhookReceiver.json($0)["text"] as? String)?.hasPrefix("[STILL FIRING]") == true })

        // Back in the configuration: the kept delivery goes out.
        _ = scratch.file("etc/conf.d/50-webhooks.toml", "[[webhooks]]\nname = \"later\"\nurl = \"\(receiver.url("/ok/later"))\"\n")
        kill(daemon.process!.processIdentifier, SIGHUP)
        let later = try await receiver.waitFor(1, timeout: .seconds(10)) { $0["path"] as? String == "/ok/later" }
        #expect((WebhookReceiver.json(later[0])["data"] as? [String: Any])?["reference"] as? String == "INC-1")
        #expect(await daemon.stop() == 0)
    }
}

/// The receiver script, started on a free port; its log is read back as JSON objects.
final class WebhookReceiver {
    let process: Process
    let port: Int
    let logPath: String

    init(scratch: Scratch, secrets: [String]) async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/webhook-receiver.py").path
        let portFile = scratch.path + "/receiver.port"
        logPath = scratch.path + "/receiver.jsonl"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, portFile, logPath] + secrets
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        self.process = process
        var port = 0
        try await eventually(timeout: .seconds(10)) {
            if !process.isRunning { throw DaemonTestError(description: "the webhook receiver exited (is standardwebhooks installed? make test-deps)") }
            port = Int((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "") ?? 0
            return port > 0
        }
        self.port = port
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every request so far, in arrival order.
    func requests() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Waits until `count` requests satisfy `condition`; returns those.
    func waitFor(_ count: Int, timeout: Duration = .seconds(10), _ condition: @escaping ([String: Any]) -> Bool) async throws -> [[String: Any]] {
        var found: [[String: Any]] = []
        try await eventually(timeout: timeout, every: .milliseconds(50)) {
            found = self.requests().filter(condition)
            return found.count >= count
        }
        guard found.count >= count else {
            throw DaemonTestError(description: "\(found.count) of \(count) webhook requests arrived: \(found.map { $0["path"] ?? "" })")
        }
        return found
    }

    /// A request's body as a JSON object.
    static func json(_ request: [String: Any]) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data((request["body"] as? String ?? "").utf8))) as? [String: Any]) ?? [:]
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
