import Foundation
import Testing
import VigilTestSupport

/// Every HTTP listener under clients that connect and send nothing, trickle, overflow, or open
/// thousands of sockets (`[inputs.http]` and `[api]` share the set-up).
@Suite(.serialized) struct HTTPHardeningTests {
    /// A raw-socket client (Python's standard library): each case prints what happened.
    static let client = #"""
        import socket, sys, time
        host, port, case, path = "127.0.0.1", int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
        def closed_after(sock, limit=10):
            sock.settimeout(limit); start = time.time()
            try:
                while sock.recv(65536):
                    pass
            except socket.timeout:
                return "open"
            except ConnectionResetError:
                pass
            return "closed %.1f" % (time.time() - start)
        s = socket.create_connection((host, port))
        if case == "silent":
            print(closed_after(s))
        elif case == "partial-header":
            s.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: x\r\n"); print(closed_after(s))
        elif case == "stalled-body":
            s.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"message\"")
            print(closed_after(s))
        elif case == "idle":
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); s.settimeout(5)
            print(s.recv(200).split(b"\r\n")[0].decode(), closed_after(s))
        elif case == "oversized":
            body = b"x" * (3 << 20)
            s.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
            try:
                s.sendall(body)
            except OSError:
                pass
            s.settimeout(5)
            try:
                print(s.recv(200).split(b"\r\n")[0].decode(), closed_after(s))
            except ConnectionResetError:
                print("reset")
        """#

    static func run(_ port: Int, _ scenario: String, path: String) async throws -> String {
        try await runProcess("/usr/bin/python3", ["-c", client, String(port), scenario, path]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let limits = """
        header_timeout = "1s"
        idle_timeout = "2s"
        body_timeout = "1s"
        max_body_bytes = "1MiB"
        """

    @Test func slowSilentAndOversizedClientsAreClosed() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch, api: Self.limits)
        scratch.file("etc/conf.d/50-limits.toml", "[inputs.http]\n" + Self.limits + "\n")
        try await daemon.start()
        for (port, path) in [(daemon.httpPort, "/v1/logs"), (daemon.apiPort, "/v1/events")] {
            #expect(try await Self.run(port, "silent", path: path) == "closed 1.0", "port \(port)")
            #expect(try await Self.run(port, "partial-header", path: path) == "closed 1.0", "port \(port)")
            #expect(try await Self.run(port, "stalled-body", path: path) == "closed 1.0", "port \(port)")
            #expect(try await Self.run(port, "idle", path: path) == "HTTP/1.1 200 OK closed 2.0", "port \(port)")
            // An oversized body is answered 413 and the connection closed: its rest is not read.
            let oversized = try await Self.run(port, "oversized", path: path)
            #expect(oversized.hasPrefix("HTTP/1.1 413") || oversized == "reset", "\(oversized)")
        }
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        #expect(metrics.contains(#"vigil_http_connections_timed_out_total{listener="http",reason="header"} 2"#))
        #expect(metrics.contains(#"vigil_http_connections_timed_out_total{listener="api",reason="body"} 1"#))
        #expect(metrics.contains(#"vigil_http_connections_timed_out_total{listener="http",reason="idle"} 1"#))
        #expect(await daemon.stop() == 0)
    }

    /// Opens `count` connections that send nothing and keeps them open for `seconds`; prints how many
    /// it opened and how many vigild had closed by the end.
    static let flood = #"""
        import resource, socket, sys, time
        port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (count + 256 if hard == resource.RLIM_INFINITY else min(hard, count + 256), hard))
        sockets = []
        for _ in range(count):
            try:
                sockets.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            except OSError:
                pass
        time.sleep(seconds)
        closed = 0
        for s in sockets:
            s.setblocking(False)
            try:
                if s.recv(1) == b"":
                    closed += 1
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
        print(len(sockets), closed)
        """#

    @Test func aFloodOfIdleConnectionsUnderALowDescriptorLimitLocksNobodyOut() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        // 1,024 descriptors: each HTTP listener takes (1024 - 512) / 2 = 256 connections.
        try await daemon.start(descriptorLimit: 1024)
        let port = daemon.httpPort
        let flood = Task { try await runProcess("/usr/bin/python3", ["-c", Self.flood, String(port), "2000", "8"]).stdout }
        try await Task.sleep(for: .seconds(2))
        // Meanwhile a real sender keeps posting and syslog datagrams keep arriving.
        var statuses: [String] = []
        for batch in 0..<20 {
            let body = (0..<10).map { #"{"service":"steady","message":"batch \#(batch) line \#($0)"}"# }.joined(separator: "\n") + "\n"
            statuses.append(
                try await curl(
                    ["-o", "/dev/null", "-w", "%{http_code}", "-m", "5", "-X", "POST", "-H", "Content-Type: application/x-ndjson",
                     "--data-binary", "@-", daemon.url + "/v1/logs"], stdin: body
                ).stdout)
            Loopback.send((0..<5).map { Array("<14>1 2026-06-15T10:00:00Z h udp - - - datagram \(batch)-\($0)".utf8) }, to: daemon.udpPort)
            try await Task.sleep(for: .milliseconds(200))
        }
        let flooded = try await flood.value.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(statuses.allSatisfy { $0 == "204" }, "\(statuses)")
        #expect(try await daemon.waitForRecords(200, ["-u", "steady"]).count == 200)
        #expect(try await daemon.waitForRecords(100, ["-u", "udp"]).count == 100)
        #expect(flooded.count == 2 && flooded[0] > 1500, "\(flooded)")
        let metrics = try await curl([daemon.url + "/metrics"]).stdout
        let evicted = metrics.split(separator: "\n").first { $0.hasPrefix(#"vigil_http_connections_evicted_total{listener="http"}"#) }
        // The listener takes 256: most of the flood was evicted to let the posts in.
        #expect((evicted?.split(separator: " ").last).flatMap { Int($0) } ?? 0 > 1000, "\(evicted ?? "none")")
        #expect(!daemon.log.contains("Too many open files"))
        #expect(await daemon.stop() == 0)
    }
}
