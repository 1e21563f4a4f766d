import Foundation
import VigilTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Errors of the daemon harness.
struct DaemonTestError: Error, CustomStringConvertible {
    let description: String
}

/// A real `vigild` started by a test, with its own configuration directory, data directory and
/// localhost ports.
final class DaemonProcess {
    let scratch: Scratch
    let configDirectory: String
    let dataDirectory: String
    let udpPort: Int
    let httpPort: Int
    /// The management API's port.
    let apiPort: Int
    let logPath: String
    private(set) var process: Process?
    private var exit: ProcessExit?

    /// The management API token the daemon accepts (named `ops`).
    static let apiToken = "test-token"

    /// A daemon whose `vigil.toml` sets the data directory and ports; `extraConfiguration` is
    /// appended (more tables), `api` goes into its `[api]` table (which has a token named `ops`).
    init(scratch: Scratch, extraConfiguration: String = "", journald: Bool = false, api: String = "") {
        self.scratch = scratch
        configDirectory = scratch.path + "/etc"
        dataDirectory = scratch.path + "/data"
        logPath = scratch.path + "/vigild.log"
        udpPort = Loopback.freePort(udp: true)
        httpPort = Loopback.freePort()
        apiPort = Loopback.freePort()
        scratch.file(
            "etc/vigil.toml",
            """
            data_dir = "\(dataDirectory)"
            [inputs.syslog_udp]
            listen = "127.0.0.1:\(udpPort)"
            [inputs.http]
            listen = "127.0.0.1:\(httpPort)"
            [daemon]
            status_interval = "1s"
            [api]
            listen = "127.0.0.1:\(apiPort)"
            tokens = [{ name = "ops", token = "\(Self.apiToken)" }]
            \(api)
            \(journald ? "" : "[inputs.journald]\nenabled = false\n")
            \(extraConfiguration)
            """)
    }

    var url: String { "http://127.0.0.1:\(httpPort)" }

    /// The management API's base URL.
    var apiURL: String { "http://127.0.0.1:\(apiPort)" }

    /// Starts vigild (with at most `descriptorLimit` open files, when given) and waits until
    /// `/healthz` answers 200.
    func start(environment: [String: String] = [:], descriptorLimit: Int? = nil) async throws {
        let process = Process()
        let vigild = productsDirectory.appendingPathComponent("vigild").path
        if let descriptorLimit {
            // The shell lowers the limit, then becomes vigild (same pid).
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", vigild, "--config", configDirectory]
        } else {
            process.executableURL = URL(fileURLWithPath: vigild)
            process.arguments = ["--config", configDirectory]
        }
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = FileHandle(forWritingAtPath: logPath)!
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        exit = try process.runWatchingExit()
        self.process = process
        let healthy = try await eventually(timeout: .seconds(20), every: .milliseconds(50)) {
            if !process.isRunning { throw DaemonTestError(description: "vigild exited early: \(self.log)") }
            return (try? await curl(["-o", "/dev/null", "-w", "%{http_code}", url + "/healthz"]).stdout) == "200"
        }
        if !healthy { throw DaemonTestError(description: "vigild did not become healthy: \(self.log)") }
    }

    /// Sends `signal` and waits for the process to exit; returns its status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async -> Int32 {
        guard let process, let exit else { return -1 }
        kill(process.processIdentifier, signal)
        self.process = nil
        self.exit = nil
        return await exit.status
    }

    /// What vigild has logged so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// `vigil query --data-dir DATA -o json ARGS`, one decoded object per record.
    func query(_ arguments: [String] = []) async throws -> [[String: Any]] {
        let result = try await runProcess("vigil", ["query", "--data-dir", dataDirectory, "-o", "json"] + arguments)
        guard result.status == 0 else { throw DaemonTestError(description: "vigil query failed: \(result.stderr)") }
        return try result.lines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw DaemonTestError(description: "not a JSON object: \(line)")
            }
            return object
        }
    }

    /// Waits until a query returns at least `count` records, and returns the last query's records.
    func waitForRecords(_ count: Int, _ arguments: [String] = [], timeout: Duration = .seconds(10)) async throws -> [[String: Any]] {
        var records: [[String: Any]] = []
        try await eventually(timeout: timeout, every: .milliseconds(100)) {
            records = try await query(arguments)
            return records.count >= count
        }
        return records
    }

    deinit {
        // Only a test that failed before `stop()` gets here. A deinit cannot await the exit, and need
        // not: SIGKILL cannot be caught, and Foundation reaps the child on its own thread.
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Runs the real curl; `-s` is always passed.
@discardableResult
func curl(_ arguments: [String], stdin: String? = nil) async throws -> ProcessResult {
    try await runProcess("/usr/bin/curl", ["-s"] + arguments, stdin: stdin)
}

/// Runs the real logger(1).
func logger(_ arguments: [String]) async throws {
    let result = try await runProcess("/usr/bin/logger", arguments)
    guard result.status == 0 else { throw DaemonTestError(description: "logger failed: \(result.stderr)") }
}

extension Dictionary where Key == String, Value == Any {
    /// A string attribute of a decoded record.
    subscript(string key: String) -> String? { self[key] as? String }
    /// A field of a decoded record.
    func field(_ key: String) -> String? { (self["fields"] as? [String: Any])?[key] as? String }
}

/// A real rsyslogd started by a test: it receives on a UDP port of its own (`imudp`) and runs the
/// given actions, typically forwarding to the daemon under test.
final class RsyslogRelay {
    /// Where rsyslogd listens (UDP).
    let port: Int
    private let process = Process()

    init(scratch: Scratch, actions: [String]) throws {
        port = Loopback.freePort(udp: true)
        let work = scratch.path + "/rsyslog"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let configuration = scratch.file(
            "rsyslog.conf",
            """
            global(workDirectory="\(work)")
            module(load="imudp")
            input(type="imudp" address="127.0.0.1" port="\(port)")
            \(actions.joined(separator: "\n"))
            """)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/rsyslogd")
        process.arguments = ["-n", "-f", configuration, "-i", work + "/rsyslogd.pid"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // Its exit is watched only so that the Process is let go when rsyslogd ends (see
        // `runWatchingExit`); nothing waits for it.
        _ = try process.runWatchingExit()
    }

    /// Sends `logger` probes (service `relay`) until `copies` of one have reached `daemon`:
    /// rsyslogd needs a moment to open its input and its outputs.
    func waitUntilForwarding(to daemon: DaemonProcess, copies: Int) async throws {
        var records: [[String: Any]] = []
        for attempt in 0..<50 where records.count < copies {
            try await send(["-t", "relay", "-p", "daemon.notice", "probe \(attempt)"])
            records = try await daemon.waitForRecords(copies, ["-u", "relay"], timeout: .milliseconds(300))
        }
    }

    /// `logger --rfc3164 -d` to rsyslogd with `arguments`.
    func send(_ arguments: [String]) async throws {
        try await logger(["-n", "127.0.0.1", "-P", "\(port)", "-d", "--rfc3164"] + arguments)
    }

    deinit {
        // rsyslogd started from a test thread inherits a signal mask that blocks SIGTERM. A deinit
        // cannot await the exit, and need not: SIGKILL cannot be caught, and Foundation reaps the
        // child on its own thread.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
