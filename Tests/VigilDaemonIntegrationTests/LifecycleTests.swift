import Foundation
import Synchronization
import Testing
import VigilTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A unix datagram socket standing in for systemd's notify socket. Like systemd it reads every
/// message as it arrives, on a thread of its own: `sd_notify` blocks the sender once 10 datagrams
/// (`net.unix.max_dgram_qlen`) wait unread, and a vigild blocked so stops answering `/healthz`,
/// which `DaemonProcess.start` waits for before the test reads anything.
final class NotifySocket {
    let path: String
    /// Messages read from the socket and not yet looked at by `waitFor`, and whether the reading
    /// thread should stop; shared with that thread.
    private let inbox = Inbox()

    private final class Inbox: Sendable {
        let messages = Mutex<[String]>([])
        let closing = Atomic<Bool>(false)
    }

    /// A unix datagram socket bound to `path`, as systemd's notify socket is.
    static func bound(to path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            _ = path.utf8CString.withUnsafeBytes { memcpy(raw.baseAddress!, $0.baseAddress!, min($0.count, raw.count - 1)) }
        }
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return fd
    }

    init(path: String) {
        self.path = path
        let fd = Self.bound(to: path)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // The reading thread blocks in `recv` (for 200 ms at most, to see `closing`); it is not a
        // thread of the cooperative pool. It alone closes the socket, so no read races the close.
        let inbox = inbox
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !inbox.closing.load(ordering: .relaxed) {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { continue }
                let message = String(decoding: buffer[0..<n], as: UTF8.self)
                inbox.messages.withLock { $0.append(message) }
            }
            close(fd)
        }
    }

    /// Messages received until one contains `text` or `timeout` passes; the ones after it are left
    /// for the next call. The inbox is polled every 20 ms.
    func waitFor(_ text: String, timeout: Duration = .seconds(10)) async throws -> [String] {
        var received: [String] = []
        try await eventually(timeout: timeout, every: .milliseconds(20)) {
            while let message = inbox.messages.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                received.append(message)
                if message.contains(text) { return true }
            }
            return false
        }
        return received
    }

    deinit {
        inbox.closing.store(true, ordering: .relaxed)
        unlink(path)
    }
}

/// Start, readiness, reload and shutdown of the real vigild, including under load.
@Suite(.serialized) struct LifecycleTests {
    @Test func notifiesReadyWatchdogStatusAndStopping() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let notify = NotifySocket(path: scratch.path + "/notify.sock")
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        let ready = try await notify.waitFor("READY=1")
        #expect(ready.contains { $0.contains("READY=1") })
        #expect(try await notify.waitFor("WATCHDOG=1", timeout: .seconds(5)).contains { $0.contains("WATCHDOG=1") })
        let status = try await notify.waitFor("records/s")
        #expect(status.contains { $0.contains("STATUS=") && $0.contains("records/s") })
        kill(daemon.process!.processIdentifier, SIGTERM)
        #expect(try await notify.waitFor("STOPPING=1").contains { $0.contains("STOPPING=1") })
        #expect(await daemon.stop() == 0)
    }

    /// `sd_notify` blocks while the notify socket's queue is full (10 datagrams): vigild sends from
    /// a queue of its own, so a service manager that does not read cannot stall its tasks, and the
    /// exit waits at most a second for the last messages.
    @Test func aNotifySocketNobodyReadsStallsNeitherTheDaemonNorItsExit() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/unread.sock"
        let fd = NotifySocket.bound(to: path)
        defer { close(fd) }
        let daemon = DaemonProcess(scratch: scratch)
        // Watchdog pings every 50 ms: the socket's queue is full within a second.
        try await daemon.start(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"])
        try await Task.sleep(for: .seconds(2))
        let posted = try await curl([
            "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary",
            #"{"message":"while the notify socket is full","service":"notify"}"#, daemon.url + "/v1/logs",
        ])
        #expect(["200", "204"].contains(posted.stdout))
        #expect(try await daemon.waitForRecords(1).count == 1)
        let health = try await curl(["--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", daemon.url + "/healthz"])
        #expect(health.stdout == "200")
        // A vigild that hung on the socket would be killed here, and its status would be SIGKILL's.
        let pid = daemon.process!.processIdentifier
        let killer = Task {
            try await Task.sleep(for: .seconds(20))
            kill(pid, SIGKILL)
        }
        let status = await daemon.stop()
        killer.cancel()
        #expect(status == 0)
    }

    @Test func anInvalidConfigurationStopsStartupWithFileLineAndReason() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = scratch.file("etc/conf.d/20-bad.toml", "[inputs.syslog_udp]\nlisten = \"localhost\"\n")
        let result = try await runProcess("vigild", ["--config", scratch.path + "/etc"])
        #expect(result.status == 1)
        #expect(result.stderr == "vigild: \(file):2: inputs.syslog_udp.listen: expected \"HOST:PORT\" (e.g. \"127.0.0.1:5514\" or \"[::1]:5514\"), got \"localhost\"\n")
        // A usage error exits 2, which the unit does not restart on.
        let usage = try await runProcess("vigild", ["--no-such-option"])
        #expect(usage.status == 2)
        #expect(usage.stderr == "vigild: Unknown option '--no-such-option' (see 'vigild --help')\n")
    }

    @Test func versionAndHelpAnswerAndExitZero() async throws {
        let version = try await runProcess("vigild", ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        let help = try await runProcess("vigild", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: vigild") && help.stdout.contains("incidents"))
    }

    @Test func aSecondDaemonOnTheSameDataDirectoryIsRefused() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let second = try await runProcess("vigild", ["--config", daemon.configDirectory])
        #expect(second.status == 1)
        #expect(second.stderr.contains("locked by process \(daemon.process!.processIdentifier)"))
        #expect(await daemon.stop() == 0)
    }

    @Test func sighupReloadsAndKeepsTheRunningConfigurationWhenTheNewOneIsInvalid() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        scratch.file("etc/conf.d/30-store.toml", "[store]\ncodec = \"lz4\"\n")
        kill(daemon.process!.processIdentifier, SIGHUP)
        try await waitUntil { daemon.log.contains("applied=store") }
        scratch.file("etc/conf.d/40-bad.toml", "[store]\nzstd_level = 99\n")
        kill(daemon.process!.processIdentifier, SIGHUP)
        try await waitUntil { daemon.log.contains("configuration not reloaded") }
        #expect(daemon.log.contains("40-bad.toml:2: store.zstd_level"))
        #expect(try await curl([daemon.url + "/healthz"]).stdout == "ok\n")
        #expect(await daemon.stop() == 0)
    }

    @Test func sigtermDuringLoadLosesNoAcknowledgedRecord() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let acknowledged = try await loadUntil(daemon, scratch: scratch) { await daemon.stop(signal: SIGTERM) == 0 }
        #expect(acknowledged.count > 0)
        #expect(daemon.log.contains("the store is sealed"))
        let stored = Set(try await daemon.query().compactMap { $0[string: "message"] })
        #expect(acknowledged.subtracting(stored).isEmpty, "\(acknowledged.subtracting(stored).count) acknowledged records missing")
    }

    @Test func sigkillDuringLoadThenRestartKeepsEveryAcknowledgedRecord() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let daemon = DaemonProcess(scratch: scratch)
        try await daemon.start()
        let acknowledged = try await loadUntil(daemon, scratch: scratch) {
            await daemon.stop(signal: SIGKILL)
            return true
        }
        #expect(acknowledged.count > 0)
        try await daemon.start()
        #expect(await daemon.stop() == 0)
        let stored = Set(try await daemon.query().compactMap { $0[string: "message"] })
        #expect(acknowledged.subtracting(stored).isEmpty, "\(acknowledged.subtracting(stored).count) acknowledged records missing")
        #expect(try await runProcess("vigil", ["verify", "--data-dir", daemon.dataDirectory]).status == 0)
    }

    /// Posts batches of uniquely numbered records from 3 concurrent curl clients; after about a
    /// second calls `stop` while they are still sending, and returns the messages of every batch
    /// answered 204.
    func loadUntil(_ daemon: DaemonProcess, scratch: Scratch, stop: () async -> Bool) async throws -> Set<String> {
        let acknowledged = Mutex<Set<String>>([])
        let running = Atomic<Bool>(true)
        let url = daemon.url + "/v1/logs"
        let path = scratch.path
        let stopped = try await withThrowingTaskGroup(of: Void.self) { clients in
            // The clients stop when this body returns (or throws); the group then waits for them.
            defer { running.store(false, ordering: .relaxed) }
            for worker in 0..<3 {
                clients.addTask { @Sendable in
                    var batch = 0
                    while running.load(ordering: .relaxed) {
                        let messages = (0..<200).map { "w\(worker)-b\(batch)-r\($0)" }
                        let body = messages.map { "{\"service\":\"load\",\"msg\":\"\($0)\"}" }.joined(separator: "\n") + "\n"
                        let file = path + "/load-\(worker).ndjson"
                        try? body.write(toFile: file, atomically: false, encoding: .utf8)
                        let status = try? await curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/x-ndjson",
                                                      "--data-binary", "@" + file, url]).stdout
                        if status == "204" { acknowledged.withLock { $0.formUnion(messages) } }
                        batch += 1
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(1500))
            let stopped = await stop()
            try await Task.sleep(for: .milliseconds(300))
            return stopped
        }
        #expect(stopped)
        return acknowledged.withLock { $0 }
    }
}

/// Polls `condition` every 50 ms for up to 10 s.
func waitUntil(_ condition: () async throws -> Bool) async throws {
    guard try await eventually(timeout: .seconds(10), every: .milliseconds(50), condition) else {
        throw DaemonTestError(description: "condition not met within 10 s")
    }
}
