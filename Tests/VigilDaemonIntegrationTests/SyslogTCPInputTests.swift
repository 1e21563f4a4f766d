import Foundation
import Testing
import VigilTestSupport

/// Syslog over TCP (RFC 6587) with the real logger and rsyslogd.
@Suite(.serialized) struct SyslogTCPInputTests {
    func tcpDaemon(_ scratch: Scratch, extra: String = "") -> (DaemonProcess, Int) {
        let port = Loopback.freePort()
        let daemon = DaemonProcess(
            scratch: scratch, extraConfiguration: "[inputs.syslog_tcp]\nenabled = true\nlisten = \"127.0.0.1:\(port)\"\n\(extra)")
        return (daemon, port)
    }

    @Test func loggerWithOctetCountingAndNewlineFraming() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (daemon, port) = tcpDaemon(scratch)
        try await daemon.start()
        try await logger(["-T", "-n", "127.0.0.1", "-P", "\(port)", "--octet-count", "--rfc5424", "-t", "billing", "-p", "local3.err", "invoice 7 failed"])
        try await logger(["-T", "-n", "127.0.0.1", "-P", "\(port)", "--rfc3164", "-t", "cron", "-p", "cron.warning", "job took 93 s"])
        let billing = try #require(try await daemon.waitForRecords(1, ["-u", "billing"]).first)
        #expect(billing[string: "message"] == "invoice 7 failed")
        #expect(billing[string: "level"] == "err")
        #expect(billing[string: "facility"] == "local3")
        #expect(billing.field("source_ip") == "127.0.0.1")
        let cron = try #require(try await daemon.waitForRecords(1, ["-u", "cron"]).first)
        #expect(cron[string: "message"] == "job took 93 s")
        #expect(cron[string: "level"] == "warning")
        #expect(await daemon.stop() == 0)
    }

    @Test func longLinesAreCutAndAPartialLastLineIsKept() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (daemon, port) = tcpDaemon(scratch, extra: "max_message_bytes = \"1KiB\"\n")
        try await daemon.start()
        // Many messages in one connection, one far too long, the last without its newline.
        var stream = (0..<500).map { "<14>Nov 23 10:00:00 web-1 bulk: line \($0)\n" }.joined()
        stream += "<14>Nov 23 10:00:01 web-1 long: " + String(repeating: "z", count: 5000) + "\n"
        stream += "<14>Nov 23 10:00:02 web-1 tail: no newline at the end"
        let file = scratch.file("stream.txt", stream)
        // bash's /dev/tcp: a plain client that writes the bytes and closes.
        let sent = try await runProcess("/bin/bash", ["-c", "cat '\(file)' > /dev/tcp/127.0.0.1/\(port)"])
        #expect(sent.status == 0)
        #expect(try await daemon.waitForRecords(500, ["-u", "bulk"]).count == 500)
        let long = try #require(try await daemon.waitForRecords(1, ["-u", "long"]).first)
        #expect(long.field("truncated") == "true")
        #expect((long[string: "message"]?.utf8.count ?? 0) < 1024)
        #expect(try await daemon.waitForRecords(1, ["-u", "tail"]).first?[string: "message"] == "no newline at the end")
        #expect(await daemon.stop() == 0)
    }

    @Test func aFullPipelinePausesReadingAndLosesNothing() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (daemon, port) = tcpDaemon(scratch, extra: "[pipeline]\nmax_records = 64\n")
        try await daemon.start()
        let stream = (0..<20_000).map { "<14>Nov 23 10:00:00 web-1 flood: line \($0)\n" }.joined()
        let file = scratch.file("flood.txt", stream)
        #expect(try await runProcess("/bin/bash", ["-c", "cat '\(file)' > /dev/tcp/127.0.0.1/\(port)"]).status == 0)
        var metrics = ""
        try await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
            metrics = try await curl([daemon.url + "/metrics"]).stdout
            return metrics.contains("vigil_input_records_total{input=\"syslog_tcp\"} 20000")
        }
        func value(_ name: String) -> Double {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + "{input=\"syslog_tcp\"} ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        }
        #expect(value("vigil_input_records_total") == 20_000)
        #expect(value("vigil_input_dropped_total") == 0)
        #expect(value("vigil_input_backpressure_total") > 0, "the pipeline was full at times, and reading paused")
        #expect(await daemon.stop() == 0)
        #expect(try await daemon.query(["-u", "flood"]).count == 20_000)
    }

    @Test func connectionsBeyondTheLimitAreClosedAndCounted() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (daemon, port) = tcpDaemon(scratch, extra: "max_connections = 2\n")
        try await daemon.start()
        let script = """
            trap '' PIPE
            exec 3<>/dev/tcp/127.0.0.1/\(port); exec 4<>/dev/tcp/127.0.0.1/\(port); sleep 0.3
            exec 5<>/dev/tcp/127.0.0.1/\(port); sleep 0.3
            printf '<14>Nov 23 10:00:00 web-1 third: refused\\n' >&5 2>/dev/null
            printf '<14>Nov 23 10:00:00 web-1 first: one\\n' >&3
            printf '<14>Nov 23 10:00:00 web-1 second: two\\n' >&4
            exec 3>&- 4>&- 5>&-
            """
        #expect(try await runProcess("/bin/bash", ["-c", script]).status == 0)
        #expect(try await daemon.waitForRecords(1, ["-u", "first"]).count == 1)
        #expect(try await daemon.waitForRecords(1, ["-u", "second"]).count == 1)
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        #expect(metrics.contains("vigil_syslog_tcp_refused_connections_total 1"))
        #expect(await daemon.stop() == 0)
        #expect(try await daemon.query(["-u", "third"]).isEmpty)
        #expect(daemon.log.contains("max_connections reached"))
    }

    @Test func rsyslogForwardsOverTCPWithOctetCounting() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (daemon, port) = tcpDaemon(scratch)
        try await daemon.start()
        let relay = try RsyslogRelay(
            scratch: scratch,
            actions: [#"action(type="omfwd" target="127.0.0.1" port="\#(port)" protocol="tcp" TCP_Framing="octet-counted")"#])
        defer { withExtendedLifetime(relay) {} }
        try await relay.waitUntilForwarding(to: daemon, copies: 1)
        try await relay.send(["-t", "payments", "-p", "user.err", "card 4 declined"])
        let forwarded = try #require(try await daemon.waitForRecords(1, ["-u", "payments"]).first)
        #expect(forwarded[string: "message"] == "card 4 declined")
        #expect(forwarded[string: "level"] == "err")
        #expect((forwarded["raw"] as? Bool) != true)
        #expect(await daemon.stop() == 0)
    }
}
