import Foundation
import Testing
import VigilNATS
import VigilTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Fleet mode end to end: edge vigild forward to a real nats-server with JetStream, a central
/// vigild consumes; records arrive exactly once with their hosts, across NATS outages and crashes.
@Suite(.serialized) struct FleetTests {
    /// An edge whose records claim `host` and whose forwarder uses the same name.
    /// An edge whose records claim `host` and whose forwarder uses the same name; `login` is an
    /// extra line of `[outputs.nats]` (credentials).
    static func edge(_ scratch: Scratch, nats: NATSServerProcess, host: String, login: String = "") -> DaemonProcess {
        DaemonProcess(
            scratch: scratch,
            extraConfiguration: """
                [outputs.nats]
                url = "\(nats.url)"
                host = "\(host)"
                timeout = "2s"
                \(login)
                """)
    }

    static func central(_ scratch: Scratch, nats: NATSServerProcess, login: String = "") -> DaemonProcess {
        DaemonProcess(
            scratch: scratch,
            extraConfiguration: """
                [inputs.nats]
                url = "\(nats.url)"
                ack_wait = "2s"
                timeout = "2s"
                \(login)
                """)
    }

    /// Posts records `first..<first+count` as NDJSON in requests of `perRequest`, with `host`.
    static func post(_ daemon: DaemonProcess, host: String, _ range: Range<Int>, perRequest: Int = 100) async throws {
        for start in stride(from: range.lowerBound, to: range.upperBound, by: perRequest) {
            let body = (start..<min(start + perRequest, range.upperBound))
                .map { #"{"service":"shop","severity":"info","message":"record \#($0) from \#(host)"}"# }
                .joined(separator: "\n")
            let result = try await curl(
                ["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Content-Type: application/x-ndjson", "--data-binary", "@-",
                 daemon.url + "/v1/logs?host=\(host)"], stdin: body)
            guard ["200", "202", "204"].contains(result.stdout) else {
                throw DaemonTestError(description: "POST answered \(result.stdout)")
            }
        }
    }

    /// Waits until the central store holds `count` records, then checks each message is there
    /// exactly once.
    static func expectExactlyOnce(_ central: DaemonProcess, count: Int, timeout: Duration = .seconds(60)) async throws -> [[String: Any]] {
        let records = try await central.waitForRecords(count, timeout: timeout)
        try await Task.sleep(for: .seconds(1))  // anything beyond `count` would be a duplicate: give it time to show
        let settled = try await central.query()
        let messages = settled.compactMap { $0["message"] as? String }
        #expect(settled.count == count, "central store has \(settled.count) records, expected \(count)")
        #expect(Set(messages).count == messages.count, "duplicates: \(messages.count - Set(messages).count)")
        _ = records
        return settled
    }

    @Test func recordsFromTwoEdgesArriveExactlyOnceWithTheirHosts() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // NKey users: one for the edges, one for the central vigild (the seeds in files, as an
        // administrator would keep them); the independent reader logs in with a password.
        let (edgeKey, centralKey) = (NATSNKey.random(), NATSNKey.random())
        let serverConfig = scratch.file(
            "nats.conf", """
            authorization { users = [
              { nkey: "\(edgeKey.publicKey)" }, { nkey: "\(centralKey.publicKey)" }, { user: "reader", password: "r" }
            ] }
            """)
        let edgeSeed = scratch.file("edge.nk", edgeKey.seed + "\n")
        let centralSeed = scratch.file("central.nk", centralKey.seed + "\n")
        let nats = try NATSServerProcess(scratch: scratch, arguments: ["-c", serverConfig])
        let (scratchA, scratchB, scratchC) = (Scratch("edgeA"), Scratch("edgeB"), Scratch("central"))
        defer { [scratchA, scratchB, scratchC].forEach { $0.remove() } }
        let edgeA = Self.edge(scratchA, nats: nats, host: "web-a", login: "nkey_seed_file = \"\(edgeSeed)\"")
        let edgeB = Self.edge(scratchB, nats: nats, host: "web-b", login: "nkey_seed_file = \"\(edgeSeed)\"")
        let central = Self.central(scratchC, nats: nats, login: "nkey_seed_file = \"\(centralSeed)\"")
        try await edgeA.start()
        try await edgeB.start()
        try await Self.post(edgeA, host: "web-a", 0..<300)
        try await Self.post(edgeB, host: "web-b", 0..<200, perRequest: 7)
        try await central.start()
        let records = try await Self.expectExactlyOnce(central, count: 500)
        #expect(records.filter { $0["host"] as? String == "web-a" }.count == 300)
        #expect(records.filter { $0["host"] as? String == "web-b" }.count == 200)
        let count = try await runProcess("vigil", ["query", "--data-dir", central.dataDirectory, "-H", "web-b", "--count"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "200")

        // Live: a record posted now reaches the central store promptly.
        try await Self.post(edgeA, host: "web-a", 300..<301)
        _ = try await central.waitForRecords(501, timeout: .seconds(10))

        // `vigil fleet status` on both sides.
        let status = try await runProcess(
            "vigil", ["fleet", "status"], environment: ["VIGIL_SERVER": central.apiURL, "VIGIL_TOKEN": DaemonProcess.apiToken])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("web-a") && status.stdout.contains("web-b"), "\(status.stdout)")
        let edgeStatus = try await runProcess(
            "vigil", ["fleet", "status", "-o", "json"], environment: ["VIGIL_SERVER": edgeA.apiURL, "VIGIL_TOKEN": DaemonProcess.apiToken])
        let json = try JSONSerialization.jsonObject(with: Data(edgeStatus.stdout.utf8)) as? [String: Any]
        let forwarder = json?["forwarder"] as? [String: Any]
        #expect(forwarder?["host"] as? String == "web-a" && (forwarder?["sequence"] as? Int ?? 0) >= 1)
        #expect(forwarder?["pending_blocks"] as? Int == 0)

        // An independent client (nats-py) reads the stream and decodes the blocks from the docs alone.
        // The python3 on PATH, where `make test-deps` installed nats-py.
        let reader = try await runProcess(
            "/usr/bin/env", ["python3", Self.support("fleet-reader.py"), "nats://reader:r@127.0.0.1:\(nats.port)", "VIGIL_LOGS"])
        #expect(reader.status == 0, "\(reader.stderr)")
        let decoded = reader.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(decoded.count == 501)
        #expect(Set(decoded.compactMap { $0["message"] as? String }).count == 501)
        #expect(decoded.filter { $0["edge"] as? String == "web-b" }.allSatisfy { $0["host"] as? String == "web-b" })

        await central.stop()
        await edgeA.stop()
        await edgeB.stop()
    }

    @Test func aNATSOutageAndCrashesLeaveNoGapAndNoDuplicateOverTLS() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Over TLS: the server requires it, both vigild trust the test CA.
        let files = try await TestCertificates.make(in: scratch)
        let nats = try NATSServerProcess(scratch: scratch, arguments: ["--tls", "--tlscert", files.certificate, "--tlskey", files.key])
        let (edgeScratch, centralScratch) = (Scratch("edge"), Scratch("central"))
        defer { [edgeScratch, centralScratch].forEach { $0.remove() } }
        let edge = Self.edge(edgeScratch, nats: nats, host: "db1", login: "tls_ca_file = \"\(files.ca)\"")
        let central = Self.central(centralScratch, nats: nats, login: "tls_ca_file = \"\(files.ca)\"")
        try await edge.start()
        try await central.start()
        try await Self.post(edge, host: "db1", 0..<200, perRequest: 10)
        _ = try await central.waitForRecords(200, timeout: .seconds(30))

        // NATS goes away for 30 s while records keep coming.
        nats.stop()
        for second in 0..<30 {
            try await Self.post(edge, host: "db1", (200 + second * 20)..<(220 + second * 20), perRequest: 5)
            try await Task.sleep(for: .seconds(1))
        }
        try nats.start()
        _ = try await Self.expectExactlyOnce(central, count: 800)

        // SIGKILL the edge in the middle of forwarding a burst; its restart sends the rest.
        try await Self.post(edge, host: "db1", 800..<5800, perRequest: 500)
        await edge.stop(signal: SIGKILL)
        try await edge.start()
        _ = try await Self.expectExactlyOnce(central, count: 5800)

        // SIGKILL the central vigild mid-consumption; messages it committed but did not acknowledge
        // come again and are recognised by their edge sequence.
        await central.stop(signal: SIGKILL)
        try await Self.post(edge, host: "db1", 5800..<15800, perRequest: 1000)
        try await central.start()
        try await Task.sleep(for: .milliseconds(300))
        await central.stop(signal: SIGKILL)
        try await central.start()
        _ = try await Self.expectExactlyOnce(central, count: 15800)
        await central.stop()
        await edge.stop()
    }

    static func support(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/" + name).path
    }
}
