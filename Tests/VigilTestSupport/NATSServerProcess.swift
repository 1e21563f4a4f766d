import Foundation

/// A real `nats-server` (Debian's package) with JetStream, on a free loopback port, for a test.
/// Its JetStream files live in a scratch directory that survives `stop()` and `start()`, so a
/// test can take the server away and bring it back with its streams.
public final class NATSServerProcess {
    public let port: Int
    public let storeDirectory: String
    private let extraArguments: [String]
    private var process: Process?

    /// Starts a server; `arguments` are added to the command line (`--user`, `--pass`, …).
    public init(scratch: Scratch, arguments: [String] = []) throws {
        port = Loopback.freePort()
        storeDirectory = scratch.path + "/nats"
        extraArguments = arguments
        try start()
    }

    public var url: String { "nats://127.0.0.1:\(port)" }

    /// Starts (again) and returns once the port takes connections.
    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nats-server")
        process.arguments = ["-js", "-a", "127.0.0.1", "-p", "\(port)", "-sd", storeDirectory] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.accepts(port: port) { return }
            usleep(20_000)
        }
        throw NSError(domain: "nats-server did not start on port \(port)", code: 1)
    }

    /// Stops the server (SIGTERM) and waits for it to exit.
    public func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    deinit { stop() }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        return Loopback.withAddress(port: port) { connect(fd, $0, $1) } == 0
    }
}
