import Foundation
import Testing
import VigilCore
import VigilTestSupport

/// JSON over HTTP with the real curl.
@Suite(.serialized) struct HTTPInputTests {
    /// `curl -X POST` of `body` (a file) with headers; returns the status code and the body.
    func post(_ daemon: DaemonProcess, file: String, headers: [String] = [], path: String = "/v1/logs") async throws -> (status: String, body: String) {
        let bodyFile = file + ".response"
        var arguments = ["-o", bodyFile, "-w", "%{http_code}", "-X", "POST", "--data-binary", "@" + file]
        for header in headers { arguments += ["-H", header] }
        let result = try await curl(arguments + [daemon.url + path])
        return (result.stdout, (try? String(contentsOfFile: bodyFile, encoding: .utf8)) ?? "")
    }

    @Test func ndjsonArraysObjectsAndGzip() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let ndjson = scratch.file(
            "batch.ndjson",
            """
            {"time":"2026-11-23T10:00:00Z","service":"checkout","host":"web-1","level":"error","msg":"payment failed","order":{"id":7}}
            {"@timestamp":1795428001000,"service":"checkout","message":"retrying","attempt":2}

            """)
        #expect(try await post(daemon, file: ndjson, headers: ["Content-Type: application/x-ndjson"]).status == "204")
        let array = scratch.file("array.json", #"[{"service":"api","msg":"a"},{"service":"api","msg":"b"}]"#)
        #expect(try await post(daemon, file: array, headers: ["Content-Type: application/json"]).status == "204")
        let object = scratch.file("one.json", #"{"service":"api","log":"single","severity":4}"#)
        #expect(try await post(daemon, file: object, headers: ["Content-Type: application/json"]).status == "204")
        let plain = scratch.file("gz.ndjson", "{\"service\":\"zipped\",\"msg\":\"x\"}\n{\"service\":\"zipped\",\"msg\":\"y\"}\n")
        #expect(try await runProcess("/bin/gzip", ["-k", plain]).status == 0)
        #expect(try await post(daemon, file: plain + ".gz", headers: ["Content-Type: application/x-ndjson", "Content-Encoding: gzip"]).status == "204")

        let records = try await daemon.query(["--since", "2026-11-23T09:00:00Z"])
        #expect(records.count == 7)
        let failed = try #require(records.first { $0[string: "message"] == "payment failed" })
        #expect(failed[string: "time"] == "2026-11-23T10:00:00.000000000Z")
        #expect(failed[string: "level"] == "err")
        #expect(failed[string: "host"] == "web-1")
        #expect(failed.field("order.id") == "7")
        let retry = try #require(records.first { $0[string: "message"] == "retrying" })
        #expect(retry.field("attempt") == "2")
        #expect(try await daemon.query(["-u", "zipped"]).map { $0[string: "message"] } == ["x", "y"])
        #expect(try await daemon.query(["-u", "api", "--level", "warning"]).map { $0[string: "message"] } == ["single"])
        #expect(await daemon.stop() == 0)
    }

    @Test func invalidUTF8InOneLineIsRepairedAndEveryLineKept() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let path = scratch.path + "/bad-utf8.ndjson"
        let body = Array(#"{"service":"u","msg":"one"}"#.utf8) + [0x0A] + Array(#"{"service":"u","msg":"t"#.utf8) + [0xFF]
            + Array(#"wo"}"#.utf8) + [0x0A] + Array(#"{"service":"u","msg":"three"}"#.utf8) + [0x0A]
        try Data(body).write(to: URL(fileURLWithPath: path))
        let result = try await curl(
            ["-D", "-", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + path, daemon.url + "/v1/logs"])
        #expect(result.stdout.contains("HTTP/1.1 204"))
        #expect(result.stdout.lowercased().contains("x-vigil-repaired-bytes: 1"))
        let records = try await daemon.waitForRecords(3, ["-u", "u"])
        #expect(records.map { $0[string: "message"] } == ["one", "t\u{FFFD}wo", "three"])
        #expect(try await curl([daemon.url + "/metrics"]).stdout.contains("vigil_http_invalid_utf8_total 1"))
        #expect(await daemon.stop() == 0)
    }

    @Test func recordsSayWhereTheyCameFrom() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        scratch.file("etc/conf.d/50-proxies.toml", "[inputs.http]\ntrusted_proxies = [\"127.0.0.1\"]\n")
        try await daemon.start()
        let body = scratch.file("two.ndjson", #"{"msg":"bare"}"# + "\n" + #"{"msg":"own","host":"web-1","service":"api","source_ip":"1.1.1.1"}"# + "\n")
        #expect(try await post(daemon, file: body, headers: ["Content-Type: application/x-ndjson"]).status == "204")
        let records = try await daemon.waitForRecords(2)
        let bare = try #require(records.first { $0[string: "message"] == "bare" })
        // From this machine: the host is this machine's name, the source the loopback address.
        #expect(bare[string: "host"] == LocalHostName.current())
        #expect(bare.field("source_ip") == "127.0.0.1")
        let own = try #require(records.first { $0[string: "message"] == "own" })
        #expect(own[string: "host"] == "web-1" && own.field("source_ip") == "127.0.0.1")
        // Defaults for a whole batch from the query, and a client named by a trusted proxy.
        let more = scratch.file("more.ndjson", #"{"msg":"via proxy"}"# + "\n")
        let (status, _) = try await post(
            daemon, file: more, headers: ["Content-Type: application/x-ndjson", "X-Forwarded-For: 203.0.113.7"],
            path: "/v1/logs?service=cron&host=db-1")
        #expect(status == "204")
        let proxied = try #require(try await daemon.waitForRecords(1, ["-u", "cron"]).first)
        #expect(proxied[string: "host"] == "db-1" && proxied.field("source_ip") == "203.0.113.7")
        #expect(await daemon.stop() == 0)
    }

    @Test func badRequestsAreRefusedWholeAndNothingIsWritten() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(
            scratch: scratch, extraConfiguration: "") // default limits except the body size below
        scratch.file("etc/conf.d/50-limits.toml", "[inputs.http]\nmax_body_bytes = \"64KiB\"\n")
        try await daemon.start()
        let invalid = scratch.file("bad.ndjson", "{\"msg\":\"ok 1\"}\n{\"msg\":\"ok 2\"}\n{\"msg\": oops}\n")
        let (status, body) = try await post(daemon, file: invalid, headers: ["Content-Type: application/x-ndjson"])
        #expect(status == "400")
        #expect(body.contains("\"line\":3"))
        #expect(body.contains("invalid JSON on line 3"))

        let big = scratch.file("big.ndjson", String(repeating: "{\"msg\":\"\(String(repeating: "x", count: 100))\"}\n", count: 1000))
        #expect(try await post(daemon, file: big, headers: ["Content-Type: application/x-ndjson"]).status == "413")
        #expect(try await runProcess("/bin/gzip", ["-k", big]).status == 0)
        let bomb = try await post(daemon, file: big + ".gz", headers: ["Content-Type: application/x-ndjson", "Content-Encoding: gzip"])
        #expect(bomb.status == "413")
        #expect(try await post(daemon, file: invalid, headers: ["Content-Type: text/csv"]).status == "415")
        #expect(try await post(daemon, file: invalid, headers: ["Content-Type: application/json", "Content-Encoding: br"]).status == "415")
        let notGzip = try await post(daemon, file: invalid, headers: ["Content-Type: application/x-ndjson", "Content-Encoding: gzip"])
        #expect(notGzip.status == "400")
        #expect(notGzip.body.contains("not valid gzip"))

        #expect(try await daemon.query().isEmpty)
        #expect(await daemon.stop() == 0)
    }

    @Test func concurrentPostersTakeTurnsAndAllAreStored() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        scratch.file("etc/conf.d/50-turns.toml", "[inputs.http]\nmax_active_requests = 1\nqueue_wait = \"20s\"\n")
        try await daemon.start()
        let lines = (0..<500).map { #"{"time":"2026-11-23T10:00:00Z","service":"turns","msg":"line \#($0)"}"# }
        let body = scratch.file("turns.ndjson", lines.joined(separator: "\n") + "\n")
        // Eight transfers at once through one admission place: each waits its turn, none is refused.
        var arguments = ["--parallel", "--parallel-immediate", "--parallel-max", "8"]
        for transfer in 0..<8 {
            if transfer > 0 { arguments.append("--next") }
            arguments += [
                "-s", "-o", "/dev/null", "-w", "%{http_code}\n", "-X", "POST", "-H", "Content-Type: application/x-ndjson",
                "--data-binary", "@" + body, daemon.url + "/v1/logs",
            ]
        }
        let result = try await curl(arguments)
        #expect(result.stdout.split(separator: "\n") == Array(repeating: "204", count: 8))
        #expect(await daemon.stop() == 0)
        #expect(try await daemon.query(["-u", "turns"]).count == 4000)
    }

    @Test func bearerTokens() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        scratch.file("etc/conf.d/50-tokens.toml", "[inputs.http]\ntokens = [\"s3cret\", \"other\"]\n")
        try await daemon.start()
        let body = scratch.file("one.json", #"{"msg":"authorised"}"#)
        #expect(try await post(daemon, file: body).status == "401")
        #expect(try await post(daemon, file: body, headers: ["Authorization: Bearer wrong"]).status == "401")
        #expect(try await post(daemon, file: body, headers: ["Authorization: Basic czNjcmV0"]).status == "401")
        #expect(try await post(daemon, file: body, headers: ["Authorization: Bearer s3cret"]).status == "204")
        #expect(try await daemon.query().map { $0[string: "message"] } == ["authorised"])
        #expect(await daemon.stop() == 0)
    }

    @Test func healthAndPrometheusMetrics() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        #expect(try await curl([daemon.url + "/healthz"]).stdout == "ok\n")
        let body = scratch.file("b.ndjson", "{\"msg\":\"a\"}\n{\"msg\":\"b\"}\n")
        #expect(try await post(daemon, file: body, headers: ["Content-Type: application/x-ndjson"]).status == "204")
        try await Task.sleep(for: .milliseconds(1500))  // one status interval, for the store gauges
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        #expect(metrics.contains("vigil_input_records_total{input=\"http\"} 2"))
        #expect(metrics.contains("vigil_input_bytes_total{input=\"http\"} 24"))
        #expect(metrics.contains("vigil_pipeline_queue_records 0"))
        #expect(metrics.contains("vigil_store_fsync_seconds_count"))
        #expect(metrics.contains("vigil_store_segments 1"))
        #expect(metrics.contains("# TYPE vigil_store_fsync_seconds histogram"))
        #expect(await daemon.stop() == 0)
    }
}
