import Foundation

/// What a finished child process left: exit status and captured output.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// `stdout` split into lines, without the final empty one.
    public var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// The directory holding the built products (`vigil`, `vigild`, the test bundle).
public var productsDirectory: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

/// Runs `executable` (a path, or a built product's name) to completion and captures its output.
/// Output goes to files, so a large output can never fill a pipe and stall the child; they are read
/// once it has exited. The wait for the exit holds no thread (`ProcessExit`).
@discardableResult
public func runProcess(
    _ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]
) async throws -> ProcessResult {
    let process = Process()
    process.executableURL =
        executable.hasPrefix("/") ? URL(fileURLWithPath: executable) : productsDirectory.appendingPathComponent(executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["VIGIL_DATA_DIR"] = nil
    env["TZ"] = "UTC"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let outPath = NSTemporaryDirectory() + "vigil-test-out-\(UUID().uuidString)"
    let errPath = outPath + ".err"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    let input = Pipe()
    process.standardInput = input
    let exit = try process.runWatchingExit()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let status = await exit.status
    return ProcessResult(
        status: status,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}
