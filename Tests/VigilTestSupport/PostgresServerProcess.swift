import Foundation
import Synchronization

/// A real PostgreSQL server (Debian's `postgresql` 15) on a free loopback port, one per test
/// process, started on first use: tests each take a database of their own with `database()`.
///
/// Its cluster lives in a temporary directory with `trust` logins on loopback; run as root (as CI
/// does), it runs as the `postgres` user, which refuses nothing else. It ends with the test
/// process: a shell holds it and stops it when the pipe from this process closes.
public final class PostgresServerProcess: Sendable {
    public let port: Int
    public let directory: String
    private let keeper: Process
    private let pipe: Pipe

    private static let instance = Mutex<Task<Result<PostgresServerProcess, PostgresServerError>, Never>?>(nil)

    /// The server every test of this process shares, started by the first caller. Its set-up
    /// (initdb, waiting for the port) blocks, so it runs on a thread of its own: on the
    /// cooperative pool it would starve the other tests' PostgreSQL clients of their threads.
    public static func shared() async throws(PostgresServerError) -> PostgresServerProcess {
        let task = instance.withLock { task in
            if task == nil {
                task = Task {
                    await offPool {
                        do throws(PostgresServerError) {
                            return .success(try PostgresServerProcess())
                        } catch {
                            return .failure(error)
                        }
                    }
                }
            }
            return task!
        }
        return try await task.value.get()
    }

    /// Runs blocking `body` on a thread outside the cooperative pool.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    /// The directory holding `initdb`, `postgres` and `psql` (Debian puts them under /usr/lib).
    public static let binaries: String = {
        for version in ["17", "16", "15"] where FileManager.default.fileExists(atPath: "/usr/lib/postgresql/\(version)/bin/postgres") {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        return "/usr/lib/postgresql/15/bin"
    }()

    private init() throws(PostgresServerError) {
        port = Loopback.freePort()
        directory = NSTemporaryDirectory() + "vigil-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        let asRoot = getuid() == 0
        let run = asRoot ? "runuser -u postgres -- " : ""
        let setup = """
            set -e
            mkdir -p '\(directory)'
            \(asRoot ? "chown postgres '\(directory)'" : "true")
            \(run)'\(Self.binaries)/initdb' -D '\(directory)/data' -U postgres -A trust --no-sync -E UTF8 >'\(directory)/initdb.log' 2>&1
            """
        let initdb = Process()
        initdb.executableURL = URL(fileURLWithPath: "/bin/sh")
        initdb.arguments = ["-c", setup]
        initdb.standardOutput = FileHandle.nullDevice
        initdb.standardError = FileHandle.nullDevice
        do {
            try initdb.run()
        } catch {
            throw PostgresServerError(reason: "cannot run /bin/sh: \(error)")
        }
        initdb.waitUntilExit()
        guard initdb.terminationStatus == 0 else {
            let log = (try? String(contentsOfFile: directory + "/initdb.log", encoding: .utf8)) ?? ""
            throw PostgresServerError(reason: "initdb failed (is Debian's postgresql installed? make test-deps): \(log)")
        }
        // fsync off: a test's database need not survive a power loss, and it saves seconds.
        let serve = """
            \(run)'\(Self.binaries)/postgres' -D '\(directory)/data' -h 127.0.0.1 -p \(port) -k '\(directory)' \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
                >'\(directory)/server.log' 2>&1 &
            server=$!
            cat >/dev/null
            kill -INT $server 2>/dev/null; wait $server; rm -rf '\(directory)'
            """
        keeper = Process()
        pipe = Pipe()
        keeper.executableURL = URL(fileURLWithPath: "/bin/sh")
        keeper.arguments = ["-c", serve]
        keeper.standardInput = pipe
        // Nothing of the test process may stay open in the keeper: `swift test` waits for its
        // output pipes to close, and the keeper must see EOF when the test process ends.
        keeper.standardOutput = FileHandle.nullDevice
        keeper.standardError = FileHandle.nullDevice
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        do {
            try keeper.run()
        } catch {
            throw PostgresServerError(reason: "cannot start postgres: \(error)")
        }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? blockingPSQL("SELECT 1", database: "postgres")) != nil { return }
            usleep(50_000)
        }
        let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
        throw PostgresServerError(reason: "postgres did not start on port \(port): \(log)")
    }

    /// A new, empty database owned by the `postgres` role; returns its URL.
    public func database(_ prefix: String = "t") async throws(PostgresServerError) -> String {
        let name = prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try await psql("CREATE DATABASE \(name)", database: "postgres")
        return url(name)
    }

    /// `psql(_:database:)` on a thread of its own.
    @discardableResult
    public func psql(_ sql: String, database: String) async throws(PostgresServerError) -> String {
        let result = await Self.offPool { () -> Result<String, PostgresServerError> in
            do throws(PostgresServerError) {
                return .success(try self.blockingPSQL(sql, database: database))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The URL of database `name`.
    public func url(_ name: String) -> String { "postgres://postgres@127.0.0.1:\(port)/\(name)" }

    /// Runs `sql` with `psql` and returns its unaligned, tuples-only output (blocking).
    @discardableResult
    func blockingPSQL(_ sql: String, database: String) throws(PostgresServerError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaries + "/psql")
        process.arguments = ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw PostgresServerError(reason: "cannot run psql: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresServerError(reason: "psql: \(String(decoding: message, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The database name in a URL `database()` returned.
    public static func name(of url: String) -> String { String(url.split(separator: "/").last ?? "") }
}

/// Why the test server could not start or answer.
public struct PostgresServerError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
