import Foundation
import Testing
import VigilTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Syslog over UDP from real senders: logger(1) and rsyslogd.
@Suite(.serialized) struct SyslogUDPInputTests {
    @Test func loggerRFC5424AndRFC3164ArriveIntact() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let port = "\(daemon.udpPort)"
        try await logger(["-n", "127.0.0.1", "-P", port, "-d", "--rfc5424", "-t", "billing", "-p", "local3.err", "--id=4242",
                    "--sd-id", "order@32473", "--sd-param", "id=\"77\"", "charge declined"])
        try await logger(["-n", "127.0.0.1", "-P", port, "-d", "--rfc3164", "-t", "cron", "-p", "cron.warning", "job took 93 s"])
        let records = try await daemon.waitForRecords(2)
        #expect(records.count == 2)
        let billing = try #require(records.first { $0[string: "service"] == "billing" })
        #expect(billing[string: "level"] == "err")
        #expect(billing[string: "facility"] == "local3")
        #expect(billing[string: "message"] == "charge declined")
        #expect(billing.field("pid") == "4242")
        #expect(billing.field("sd.order@32473.id") == "77")
        #expect(billing.field("source_ip") == "127.0.0.1")
        let cron = try #require(records.first { $0[string: "service"] == "cron" })
        #expect(cron[string: "level"] == "warning")
        #expect(cron[string: "facility"] == "cron")
        #expect(cron[string: "message"] == "job took 93 s")
        #expect(await daemon.stop() == 0)
    }

    @Test func variantsSeveralMessagesPerDatagramAndMalformedInput() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        // Several messages in one datagram, a trailing NUL, no PRI, rsyslog's RFC 3339 forward format.
        Loopback.send([Array("<14>Nov 23 10:00:00 h1 one: first\n<11>Nov 23 10:00:01 h1 two[5]: second\n".utf8)], to: daemon.udpPort)
        Loopback.send([Array("<13>2026-11-23T10:00:02.123+00:00 h2 fwd[9]: forwarded\0".utf8)], to: daemon.udpPort)
        Loopback.send([Array("Nov 23 10:00:03 h3 nopri: no priority".utf8)], to: daemon.udpPort)
        // Malformed: a PRI out of range, and bytes that are not text.
        Loopback.send([Array("<999>garbage".utf8)], to: daemon.udpPort)
        Loopback.send([[0xFF, 0xFE, 0x00, 0x41]], to: daemon.udpPort)
        let records = try await daemon.waitForRecords(6)
        #expect(records.count == 6)
        let services = Set(records.compactMap { $0[string: "service"] })
        #expect(services.isSuperset(of: ["one", "two", "fwd", "nopri"]))
        let raw = records.filter { ($0["raw"] as? Bool) == true }
        #expect(raw.count == 2)
        #expect(raw.contains { $0[string: "message"] == "<999>garbage" })
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        #expect(metrics.contains("vigil_input_parse_failures_total{input=\"syslog_udp\"} 2"))
        #expect(metrics.contains("vigil_input_records_total{input=\"syslog_udp\"} 6"))
        #expect(await daemon.stop() == 0)
    }

    @Test func aPortAnotherSocketHoldsStopsStartupNamingTheInputAndTheReason() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        let holder = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(holder) }
        try #require(Loopback.withAddress(port: daemon.udpPort) { bind(holder, $0, $1) } == 0)
        let result = try await runProcess("vigild", ["--config", daemon.configDirectory])
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "cannot listen on 127.0.0.1:\(daemon.udpPort) for syslog over UDP: bind: Address already in use (errno \(EADDRINUSE))"))
    }

    @Test func longDatagramsArriveWholeUpTo16KiBAndLongerOnesAreMarked() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let long = String(repeating: "0123456789", count: 1000)  // 10,000 bytes of message
        Loopback.send([Array("<14>1 2026-06-15T10:00:00Z h app - - - \(long)".utf8)], to: daemon.udpPort)
        let huge = String(repeating: "x", count: 20_000)
        Loopback.send([Array("<14>1 2026-06-15T10:00:01Z h app - - - \(huge)".utf8)], to: daemon.udpPort)
        let records = try await daemon.waitForRecords(2)
        #expect(records.count == 2)
        #expect(records[0][string: "message"] == long)
        #expect(records[0].field("truncated") == nil)
        #expect(records[1].field("truncated") == "true")
        #expect((records[1][string: "message"]?.count ?? 0) < huge.count)
        #expect(try await curl([daemon.url + "/metrics"]).stdout.contains("vigil_syslog_udp_truncated_total 1"))
        #expect(await daemon.stop() == 0)
    }

    @Test func rsyslogForwardsWithItsDefaultAndProtocol23Templates() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let relay = try RsyslogRelay(
            scratch: scratch,
            actions: [
                #"action(type="omfwd" target="127.0.0.1" port="\#(daemon.udpPort)" protocol="udp")"#,
                #"action(type="omfwd" target="127.0.0.1" port="\#(daemon.udpPort)" protocol="udp" template="RSYSLOG_SyslogProtocol23Format")"#,
            ])
        defer { withExtendedLifetime(relay) {} }
        try await relay.waitUntilForwarding(to: daemon, copies: 2)
        try await relay.send(["-t", "payments", "-p", "user.err", "card 4 declined"])
        let forwarded = try await daemon.waitForRecords(2, ["-u", "payments"])
        #expect(forwarded.count == 2)
        // rsyslog's RSYSLOG_SyslogProtocol23Format writes its msg property, which keeps the space
        // after the tag's colon ("- -  card…"); RFC 5424 makes that space part of MSG, and Vigil
        // keeps messages byte for byte.
        #expect(Set(forwarded.compactMap { $0[string: "message"] }) == ["card 4 declined", " card 4 declined"])
        for record in forwarded {
            #expect(record[string: "level"] == "err")
            #expect(record[string: "facility"] == "user")
            #expect((record["raw"] as? Bool) != true)
        }
        #expect(await daemon.stop() == 0)
    }

    @Test func aWriterBehindWritesCatchUpBlocksThatAreRecompressedOnceItKeepsUp() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Every UDP commit counts as behind, small segments seal often, and rewrites start as soon
        // as the writer keeps up.
        let daemon = DaemonProcess(
            scratch: scratch,
            extraConfiguration: "[store]\ncommit_delay = \"0s\"\ncatch_up_after = \"0s\"\nrecompress_after = \"0s\"\nsegment_max_bytes = \"64KiB\"\n")
        try await daemon.start()
        let total = 3000
        var random = SplitMix(seed: 11)
        for i in 0..<total {
            // Random hex, so the store's segments fill and seal.
            let noise = (0..<10).map { _ in String(random.next(), radix: 16) }.joined(separator: " ")
            Loopback.send([Array("<14>1 2026-11-23T10:00:00.\(String(format: "%06d", i))Z h app - - - flood \(i) \(noise)".utf8)], to: daemon.udpPort)
            if i % 100 == 99 { try await Task.sleep(for: .milliseconds(10)) }
        }
        func metric(_ name: String) async throws -> Int {
            let text = try await curl([daemon.url + "/metrics"]).stdout
            return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        }
        // Once the flood stops, a maintenance pass finds the writer keeping up and the sealed
        // segments holding catch-up blocks are rewritten.
        // "Caught up" is logged once no commit has been behind for 5 s.
        try await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            try await metric("vigil_store_recompressed_segments_total") > 0 && daemon.log.contains("store writer caught up")
        }
        #expect(try await metric("vigil_store_catch_up_blocks_total") > 0)
        #expect(try await metric("vigil_store_recompressed_segments_total") > 0)
        #expect(try await metric("vigil_input_records_total{input=\"syslog_udp\"}") == total)
        #expect(daemon.log.contains("store writer is behind: writing lz4 blocks until it catches up"))
        #expect(daemon.log.contains("store writer caught up"))
        #expect(await daemon.stop() == 0)

        // Every record is there, the store verifies clean, and no temporary file is left.
        let count = try await runProcess("vigil", ["query", "--data-dir", daemon.dataDirectory, "--count"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(total)")
        let verify = try await runProcess("vigil", ["verify", "--data-dir", daemon.dataDirectory])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory)
        #expect(!files.contains { $0.hasSuffix(".tmp") })
    }

    @Test func aFillingReceiveQueueSwitchesTheStoreToCatchUpBlocks() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // The writer itself never counts as behind here: only the receive queue can start
        // catch-up blocks.
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: "[store]\ncatch_up_after = \"1h\"\n")
        try await daemon.start()
        let process = try #require(daemon.process)
        // A stopped vigild reads nothing: the datagrams wait in the socket's receive queue, more
        // than an eighth of the buffer and less than all of it.
        kill(process.processIdentifier, SIGSTOP)
        let total = 4000
        for i in 0..<total {
            let message = "<14>1 2026-11-23T10:00:00.\(String(format: "%06d", i))Z h app - - - queued \(i) " + String(repeating: "x", count: 100)
            Loopback.send([Array(message.utf8)], to: daemon.udpPort)
        }
        kill(process.processIdentifier, SIGCONT)
        func metric(_ name: String) async throws -> Int {
            let text = try await curl([daemon.url + "/metrics"]).stdout
            return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        }
        try await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
            try await metric("vigil_input_records_total{input=\"syslog_udp\"}") >= total
        }
        #expect(try await metric("vigil_input_records_total{input=\"syslog_udp\"}") == total)
        #expect(try await metric("vigil_store_catch_up_blocks_total") > 0)
        #expect(daemon.log.contains("an input's receive queue is filling: writing lz4 blocks until it catches up"))
        #expect(!daemon.log.contains("store writer is behind"))
        #expect(await daemon.stop() == 0)
        let count = try await runProcess("vigil", ["query", "--data-dir", daemon.dataDirectory, "--count"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(total)")
    }
}
