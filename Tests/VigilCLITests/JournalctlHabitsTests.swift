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
}
