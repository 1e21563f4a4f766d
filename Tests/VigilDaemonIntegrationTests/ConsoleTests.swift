import Foundation
import Testing
import VigilTestSupport

/// The web console in a real browser: Debian's chromium, headless, driven by selenium
/// (Tests/Support/console-browser.py) against a real vigild.
@Suite(.serialized) struct ConsoleTests {
    @Test func onCallOpensAnIncidentSeesItsEvidenceAcknowledgesItAndSearchesTheLogs() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let now = ISO8601DateFormatter.withFractions.string(from: Date())
        let hostile = #"<script>alert(1)</script> \"><img src=x onerror=alert(2)>"#
        var burst = (1...6).map { #"{"time":"\#(now)","service":"checkout","level":"err","message":"db timeout \#($0) \#(hostile)"}"# }
        burst.append(#"{"time":"\#(now)","service":"web","level":"info","message":"known-line-42 served","request_id":"r-42"}"#)
        try await daemon.post(burst.joined(separator: "\n") + "\n")
        _ = try await daemon.waitForIncident { $0["status"] as? String == "firing" }

        // Without a session the console sends a browser to its login form; pages forbid framing
        // and scripts from elsewhere.
        let redirect = try await curl(["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", daemon.apiURL + "/ui/"])
        #expect(redirect.stdout == "303 \(daemon.apiURL)/ui/login?next=/ui/")
        let headers = try await curl(["-D", "-", "-o", "/dev/null", daemon.apiURL + "/ui/login"]).stdout.lowercased()
        #expect(headers.contains("content-security-policy: default-src 'none'"))
        #expect(headers.contains("frame-ancestors 'none'"))

        let shots = productsDirectory.appendingPathComponent("console-screenshots").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/console-browser.py").path
        let browser = try await runProcess("/usr/bin/env", ["python3", script, daemon.apiURL, DaemonProcess.apiToken, shots, "known-line-42"])
        #expect(browser.status == 0, "\(browser.stdout)\(browser.stderr)")
        #expect(browser.stdout.contains("all checks passed"))
        // What the browser did went through the same store: the API sees the acknowledgement.
        let incident = try await daemon.api("GET", "/v1/incidents/INC-1")
        #expect(incident.json["status"] as? String == "acknowledged")
        #expect(incident.json["acknowledged_by"] as? String == "ops")
        #expect(await daemon.stop() == 0)
    }
}
