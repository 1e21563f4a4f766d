import Foundation

/// Runs the built `vigil` binary and captures its output.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

var productsDirectory: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

@discardableResult
func vigil(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> CLIResult {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent("vigil")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["VIGIL_DATA_DIR"] = nil
    env["TZ"] = "UTC"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    // Output goes to files, so a large output can never fill a pipe and stall the child.
    let outPath = NSTemporaryDirectory() + "vigil-cli-out-\(UUID().uuidString)"
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
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    return CLIResult(
        status: process.terminationStatus,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

struct Scratch {
    let path: String
    init(_ name: String = #function) {
        path = NSTemporaryDirectory() + "vigil-cli-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String, _ contents: String) -> String {
        let target = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! contents.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
