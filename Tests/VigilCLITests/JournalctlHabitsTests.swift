import Foundation
import Testing
import VigilTestSupport

/// journalctl's habits in `vigil query`: relative times that start with a dash after `--since`,
/// `-S`, `--until` and `-U` (`vigil query --since -5m`), and `-n` as the newest N records.
@Suite struct JournalctlHabitsTests {
    @Test func relativeTimesStartingWithADashAreValues() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/data"
        let now = ISO8601DateFormatter().string(from: Date())
        let hourAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
        let file = scratch.file(
            "recent.log",
            #"{"time":"\#(hourAgo)","service":"a","msg":"an hour ago"}"# + "\n" + #"{"time":"\#(now)","service":"a","msg":"now"}"# + "\n")
        #expect(try await vigil(["import", "--data-dir", data, file]).status == 0)
        for arguments in [["--since", "-5m"], ["-S", "-5m"], ["--since", "-5m", "--until", "+1m"], ["-S", "-10m", "-U", "+1h"]] {
            let result = try await vigil(["query", "--data-dir", data, "-o", "cat"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout == "now\n", "\(arguments)")
        }
        let older = try await vigil(["query", "--data-dir", data, "-o", "cat", "--since", "-2h", "-U", "-30m"])
        #expect(older.stdout == "an hour ago\n", "\(older.stderr)")
        // After "--", a dash is an argument again, and a bad value still says what is wrong.
        let bad = try await vigil(["query", "--data-dir", data, "--since", "-5x"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("cannot understand --since '-5x'"))
    }

    @Test func dashNIsTheNewestRecordsOldestFirst() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/data"
        let lines = (1...12).map { #"{"time":"2026-06-15T10:00:\#(String(format: "%02d", $0))Z","service":"a","msg":"record \#($0)"}"# }
        let file = scratch.file("twelve.log", lines.joined(separator: "\n") + "\n")
        #expect(try await vigil(["import", "--data-dir", data, file]).status == 0)
        func query(_ arguments: [String]) async throws -> [String] {
            let result = try await vigil(["query", "--data-dir", data, "-o", "cat"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.lines
        }
        #expect(try await query(["-n", "2"]) == ["record 11", "record 12"])
        #expect(try await query(["-n", "2", "-r"]) == ["record 12", "record 11"])
        #expect(try await query(["--lines", "3"]) == ["record 10", "record 11", "record 12"])
        #expect(try await query(["--limit", "1"]) == ["record 12"])
        // -n alone is ten, wherever it stands.
        #expect(try await query(["-n"]) == (3...12).map { "record \($0)" })
        #expect(try await query(["-n", "-u", "a"]).count == 10)
        #expect(try await query(["-n", "2", "--until", "2026-06-15T10:00:05Z"]) == ["record 4", "record 5"])
        #expect(try await query([]).count == 12)
    }

    @Test func controlCharactersAreShownEscapedUnlessAll() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/data"
        let file = scratch.file("hostile.log", #"{"time":"2026-06-15T10:00:00Z","service":"web","msg":"\u001b[2J\u001b[31mred\u0007 \u009b done"}"# + "\n")
        #expect(try await vigil(["import", "--data-dir", data, file]).status == 0)
        let shown = try await vigil(["query", "--data-dir", data, "-o", "cat"])
        #expect(shown.stdout == "\\x1b[2J\\x1b[31mred\\x07 \\u{009b} done\n")
        let raw = try await vigil(["query", "--data-dir", data, "-o", "cat", "-a"])
        #expect(raw.stdout == "\u{1b}[2J\u{1b}[31mred\u{07} \u{9b} done\n")
        let json = try await vigil(["query", "--data-dir", data, "-o", "json"])
        #expect(json.stdout.contains(#""message":"\u001b[2J\u001b[31mred\u0007 \#u{9b} done""#))
    }

    static func store(_ scratch: Scratch) async throws -> String {
        let data = scratch.path + "/data"
        let file = scratch.file(
            "two.log",
            #"{"time":"2026-06-15T10:00:01Z","service":"sshd","host":"web1","level":"err","msg":"bad login","user":"root"}"# + "\n"
                + #"{"time":"2026-06-15T10:00:02Z","service":"cron","host":"web1","msg":"line one\nline two"}"# + "\n")
        #expect(try await vigil(["import", "--data-dir", data, file]).status == 0)
        return data
    }

    @Test func jsonPrettyVerboseAndExportOutputs() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = try await Self.store(scratch)
        let pretty = try await vigil(["query", "--data-dir", data, "-o", "json-pretty", "-t", "sshd"])
        #expect(pretty.status == 0, "\(pretty.stderr)")
        #expect(pretty.stdout.hasPrefix("{\n"))
        #expect(pretty.stdout.contains(#""message" : "bad login""#))
        #expect(pretty.stdout.hasSuffix("}\n\n"))
        let verbose = try await vigil(["query", "--data-dir", data, "-o", "verbose", "--utc", "-t", "sshd"])
        #expect(verbose.lines == [
            "2026-06-15T10:00:01.000000Z", "    _HOSTNAME=web1", "    SYSLOG_IDENTIFIER=sshd", "    PRIORITY=3", "    MESSAGE=bad login",
            "    user=root",
        ])
        let export = try await vigil(["query", "--data-dir", data, "-o", "export", "-t", "cron"])
        // A value with a newline is written in the binary form: name, newline, 64-bit length, bytes.
        let bytes = Array(export.stdout.utf8)
        #expect(export.stdout.hasPrefix("__REALTIME_TIMESTAMP=1781517602000000\n_HOSTNAME=web1\n"))
        let binary = Array("MESSAGE\n".utf8) + [17, 0, 0, 0, 0, 0, 0, 0] + Array("line one\nline two\n".utf8)
        #expect(bytes.count >= binary.count && (0...(bytes.count - binary.count)).contains { Array(bytes[$0..<($0 + binary.count)]) == binary })
        #expect(export.stdout.hasSuffix("\n\n"))
        // -t is the syslog identifier, journalctl's word for what Vigil calls the service.
        let both = try await vigil(["query", "--data-dir", data, "-o", "cat", "-t", "cron", "--identifier", "sshd"])
        #expect(both.lines == ["bad login", #"line one\nline two"#])
    }

    /// On a terminal the output goes through $PAGER; a pipe, --no-pager or PAGER=cat do not.
    @Test func aTerminalGetsThePager() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = try await Self.store(scratch)
        let vigilPath = productsDirectory.appendingPathComponent("vigil").path
        // Runs vigil on a pseudo-terminal and returns what reached it.
        func onTerminal(_ arguments: [String], pager: String) async throws -> String {
            let script = """
                import os, pty, sys
                os.environ["PAGER"] = sys.argv[1]
                os.environ.pop("SYSTEMD_PAGER", None)
                pid, fd = pty.fork()
                if pid == 0:
                    os.execv(sys.argv[2], sys.argv[2:])
                out = b""
                while True:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    out += chunk
                os.waitpid(pid, 0)
                sys.stdout.write(out.decode("utf-8", "replace"))
                """
            return try await runProcess("/usr/bin/env", ["python3", "-c", script, pager, vigilPath] + arguments).stdout
        }
        let query = ["query", "--data-dir", data, "-o", "cat", "-t", "sshd"]
        #expect(try await onTerminal(query, pager: "sed s/^/PAGED:/").contains("PAGED:bad login"))
        #expect(!(try await onTerminal(query + ["--no-pager"], pager: "sed s/^/PAGED:/")).contains("PAGED:"))
        #expect(!(try await onTerminal(query, pager: "cat")).contains("PAGED:"))
        let piped = try await vigil(query, environment: ["PAGER": "sed s/^/PAGED:/"])
        #expect(piped.stdout == "bad login\n")
        // -e: the pager starts at the end (less gets +G; another pager runs as it is).
        #expect(try await onTerminal(query + ["-e"], pager: "sed s/^/END:/").contains("END:bad login"))
    }
}
