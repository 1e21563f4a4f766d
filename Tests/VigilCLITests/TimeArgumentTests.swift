import Foundation
import Testing
import VigilTestSupport

/// Relative times that start with a dash work after `--since`, `-S`, `--until` and `-U`, as they do
/// with journalctl (`vigil query --since -5m`).
@Suite struct TimeArgumentTests {
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
}
