import Foundation
import Testing
import VigilTestSupport

/// The README's own commands work: every `vigil …` line of its ```sh blocks is run through
/// /bin/sh in a directory holding a small store in `data/`, with the built `vigil` first on
/// PATH, so the guide cannot drift from the tool. A line may fail at run time (an API command finds
/// no vigild here, a file it names is not on this machine), but never with a usage error (exit
/// status 2: an unknown flag, a missing value, a bad argument); the store commands (`query`,
/// `stats`, `verify`) must succeed.
@Suite struct ReadmeCommandsTests {
    static var readme: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
    }

    /// The `vigil` command lines of the README's shell blocks, continuation lines joined.
    static func commands(in text: String) -> [String] {
        var commands: [String] = []
        var inShell = false
        var pending = ""
        for line in text.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                inShell = !inShell && (trimmed == "```sh" || trimmed == "```bash" || trimmed == "```shell")
                pending = ""
                continue
            }
            guard inShell else { continue }
            let joined = pending.isEmpty ? trimmed : pending + " " + trimmed
            if joined.hasSuffix("\\") {
                pending = String(joined.dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            pending = ""
            // A command may follow `VAR=value` assignments or `sudo`.
            let words = joined.split(separator: " ").drop { $0.contains("=") && !$0.hasPrefix("-") || $0 == "sudo" }
            if words.first == "vigil" { commands.append(joined) }
        }
        return commands
    }

    @Test func theReadmesVigilCommandsParseAndTheStoreOnesSucceed() async throws {
        let commands = Self.commands(in: try String(contentsOf: Self.readme, encoding: .utf8))
        #expect(commands.count >= 15, "found only \(commands.count) vigil commands in the README")
        let scratch = Scratch()
        defer { scratch.remove() }
        // A small store: a few hundred records over the last hour, some errors, two services.
        let now = Date()
        let lines = (0..<300).map { index -> String in
            let time = ISO8601DateFormatter().string(from: now.addingTimeInterval(-Double(300 - index) * 10))
            let level = index % 17 == 0 ? "err" : "info"
            return #"{"time":"\#(time)","service":"\#(index % 2 == 0 ? "nginx" : "sshd")","host":"web1","level":"\#(level)","msg":"request \#(index) took \#(index % 50) ms","user":"u\#(index % 7)"}"#
        }
        let sample = scratch.file("sample.ndjson", lines.joined(separator: "\n") + "\n")
        let imported = try await runProcess(productsDirectory.appendingPathComponent("vigil").path, ["import", "--data-dir", scratch.path + "/data", sample])
        #expect(imported.status == 0, "\(imported.stderr)")
        let environment = [
            "PATH": productsDirectory.path + ":/usr/bin:/bin",
            // API commands find nothing listening here: they fail at run time, which is allowed.
            "VIGIL_SERVER": "http://127.0.0.1:9", "VIGIL_TOKEN": "t", "PAGER": "cat", "SYSTEMD_PAGER": "cat",
        ]
        for command in commands {
            // `-f` follows forever: the timeout ends it, which counts as having parsed.
            let script = "cd '\(scratch.path)' && exec timeout 5 \(command) </dev/null"
            let result = try await runProcess("/bin/sh", ["-c", script], environment: environment)
            #expect(result.status != 2, "usage error: \(command)\n\(result.stderr)")
            let words = command.split(separator: " ")
            if let verb = words.dropFirst().first, ["query", "stats", "verify"].contains(verb), !command.contains(" -f"),
                !command.contains("--follow"), !command.contains("/var/"), !command.contains("|")
            {
                #expect(result.status == 0, "failed on the sample store: \(command)\n\(result.stderr)")
            }
        }
    }

    @Test func continuationLinesAndPrefixesAreUnderstood() {
        let text = """
            ```sh
            vigil query --data-dir data \\
                --since=-1h -p err
            VIGIL_SERVER=http://h:8081 vigil incidents list
            vigild --config conf.d
            ```
            ```text
            vigil not-a-command
            ```
            """
        #expect(Self.commands(in: text) == ["vigil query --data-dir data --since=-1h -p err", "VIGIL_SERVER=http://h:8081 vigil incidents list"])
    }
}
