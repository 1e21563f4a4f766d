import Foundation
import Testing
import VigilTestSupport

/// `vigil import` and `vigil query` as a user runs them.
@Suite struct ImportQueryCommandTests {
    static let sample = """
        <13>Jun 15 2026 10:00:00 web-1 sshd[42]: Accepted publickey for bob from 10.0.0.7 port 5522 ssh2
        {"time":"2026-06-15T10:00:01Z","level":"error","service":"checkout","host":"web-2","msg":"payment failed","order":{"id":7}}
        <11>1 2026-06-15T10:00:02.5Z web-1 app 9 ID1 [ex@1 a="b"] disk almost full
        this line is not syslog
        {"broken json": 
        <30>2026-06-15T10:00:03+00:00 db-1 postgres[7]: checkpoint complete

        """

    @Test func importsMixedLinesAndKeepsTheUnparseableRaw() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = scratch.file("mixed.log", Self.sample)
        let data = scratch.path + "/data"
        let result = try await vigil(["import", "--data-dir", data, file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("imported 6 records (2 kept raw)"))

        let all = try await vigil(["query", "--data-dir", data, "-o", "json", "--since", "2026-06-15T09:00:00Z", "--until", "2026-06-16"])
        #expect(all.status == 0)
        #expect(all.lines.count == 4)
        #expect(all.lines[0].contains("\"service\":\"sshd\"") && all.lines[0].contains("\"pid\":\"42\""))
        #expect(all.lines[1].contains("\"level\":\"err\"") && all.lines[1].contains("\"order.id\":\"7\""))
        #expect(all.lines[2].contains("\"sd.ex@1.a\":\"b\""))

        let raw = try await vigil(["query", "--data-dir", data, "--field", "service=", "-o", "cat"])
        #expect(Set(raw.lines) == ["this line is not syslog", "{\"broken json\": "])
    }

    @Test func importCompressesAtTheBulkLevel() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // 20,000 syslog lines with some variety, imported at two bulk levels: the higher stores them
        // smaller, and the live level does not matter to an import.
        var generator = SplitMix(seed: 21)
        let services = ["sshd", "nginx", "cron", "kernel", "postgres"]
        var text = ""
        for i in 0..<20_000 {
            let service = services[Int(generator.next() % 5)]
            text += "<14>1 2026-06-15T10:\(String(format: "%02d:%02d", (i / 60) % 60, i % 60)).\(i % 1000)Z web-\(i % 7) \(service) \(generator.next() % 90000) - - request \(generator.next() % 100000) from 10.0.\(generator.next() % 256).\(generator.next() % 256) took \(generator.next() % 900) ms status \([200, 200, 304, 404, 500][Int(generator.next() % 5)])\n"
        }
        let file = scratch.file("many.log", text)
        func size(_ bulk: Int, live: Int) async throws -> Int {
            scratch.file("etc\(bulk)-\(live)/vigil.toml", "[store]\nzstd_level = \(live)\nzstd_bulk_level = \(bulk)\n")
            let data = scratch.path + "/data\(bulk)-\(live)"
            let result = try await vigil(["import", "--config", scratch.path + "/etc\(bulk)-\(live)", "--data-dir", data, file])
            #expect(result.status == 0, "\(result.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".vseg") }
            return try names.reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: data + "/" + $1)[.size] as? Int) ?? 0) }
        }
        let fast = try await size(1, live: 19)
        let small = try await size(19, live: 1)
        #expect(small < fast, "bulk level 19: \(small) bytes, bulk level 1: \(fast) bytes")
    }

    @Test func filtersCombine() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/data"
        try await vigil(["import", "--data-dir", data, scratch.file("a.log", Self.sample)])
        func count(_ arguments: [String]) async throws -> String {
            let r = try await vigil(["query", "--data-dir", data, "--count"] + arguments)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try await count([]) == "6")
        #expect(try await count(["--level", "err"]) == "2")
        #expect(try await count(["-u", "sshd", "-u", "postgres"]) == "2")
        #expect(try await count(["--host", "web-*"]) == "3")
        #expect(try await count(["--grep", "PAYMENT"]) == "0")
        #expect(try await count(["--grep", "payment"]) == "1")
        #expect(try await count(["--grep", "Payment", "--case-sensitive"]) == "0")
        #expect(try await count(["--field", "order.id=7"]) == "1")
        #expect(try await count(["--since", "2026-06-15T10:00:01Z", "--until", "2026-06-15T10:00:02.5Z"]) == "2")
        #expect(try await count(["--since", "2026-06-15 10:00:02", "--host", "web-1"]) == "1")

        let short = try await vigil(["query", "--data-dir", data, "--since", "2026-06-15", "-u", "sshd"])
        #expect(short.stdout == "Jun 15 10:00:00 web-1 sshd[42]: Accepted publickey for bob from 10.0.0.7 port 5522 ssh2\n")
        let iso = try await vigil(["query", "--data-dir", data, "-u", "postgres", "-o", "short-iso"])
        #expect(iso.stdout == "2026-06-15T10:00:03Z db-1 postgres[7]: checkpoint complete\n")
        let reversed = try await vigil(["query", "--data-dir", data, "--since", "2026-06-15", "--until", "2026-06-16", "-r", "-n", "2", "-o", "cat"])
        #expect(reversed.lines == ["checkpoint complete", "disk almost full"])
    }

    @Test func importReadsStandardInputWithOverrides() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/data"
        let result = try await vigil(["import", "--data-dir", data, "--format", "raw", "--service", "batch", "--host", "h9", "-"], stdin: "one\ntwo\n")
        #expect(result.status == 0)
        #expect(result.stderr.contains("imported 2 records (0 kept raw)"))
        let out = try await vigil(["query", "--data-dir", data, "-o", "json"])
        #expect(out.lines.count == 2)
        #expect(out.lines.allSatisfy { $0.contains("\"service\":\"batch\"") && $0.contains("\"host\":\"h9\"") })
    }

    @Test func dataDirectoryComesFromTheEnvironmentOrTheConfiguration() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/env-data"
        try await vigil(["import", "--format", "raw", "-"], stdin: "x\n", environment: ["VIGIL_DATA_DIR": data])
        #expect(try await vigil(["query", "--count"], environment: ["VIGIL_DATA_DIR": data]).stdout == "1\n")

        let configData = scratch.path + "/conf-data"
        _ = scratch.file("etc/vigil.toml", "data_dir = \"\(configData)\"\n[store]\ncodec = \"lz4\"\n")
        try await vigil(["import", "--config", scratch.path + "/etc", "--format", "raw", "-"], stdin: "y\nz\n")
        #expect(try await vigil(["query", "--config", scratch.path + "/etc", "--count"]).stdout == "2\n")
    }

    @Test func usageErrorsExitTwoWithOneLine() async throws {
        let unknownLevel = try await vigil(["query", "--data-dir", "/nonexistent", "--level", "loud"])
        #expect(unknownLevel.status == 2)
        #expect(unknownLevel.stderr.split(separator: "\n").count == 1)
        #expect(unknownLevel.stderr.contains("unknown --level 'loud'"))
        #expect(try await vigil(["query", "--bogus"]).status == 2)
        #expect(try await vigil(["query", "--grep", "a(b"]).status == 2)
        #expect(try await vigil(["query", "--since", "last tuesday"]).status == 2)
        #expect(try await vigil(["import", "--format", "xml", "f"]).status == 2)
        #expect(try await vigil(["frobnicate"]).status == 2)
        let missing = try await vigil(["query", "--data-dir", "/nonexistent/vigil"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("vigil: /nonexistent/vigil"))
        let help = try await vigil(["query", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--since"))
        // `vigil query` is parsed by the query command alone (VigilCommand.directQuery); help and
        // errors still name the whole command.
        #expect(help.stdout.contains("USAGE: vigil query"))
        let bogus = try await vigil(["query", "--bogus"])
        #expect(bogus.stderr.contains("Unknown option '--bogus'") && bogus.stderr.contains("see 'vigil help'"))
    }

    @Test func badConfigurationNamesFileLineAndKey() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = scratch.file("etc/conf.d/10-store.toml", "[store]\n\ncodec = \"gzip\"\n")
        let result = try await vigil(["import", "--config", scratch.path + "/etc", "--format", "raw", "-"], stdin: "x\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):3"))
        #expect(result.stderr.contains("store.codec"))
    }

    @Test func importRefusesWhileAnotherWriterHoldsTheStore() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/data"
        // A long-running import from a pipe holds the writer lock like vigild does.
        let holder = Process()
        holder.executableURL = productsDirectory.appendingPathComponent("vigil")
        holder.arguments = ["import", "--data-dir", data, "--format", "raw", "-"]
        let pipe = Pipe()
        holder.standardInput = pipe
        holder.standardError = FileHandle.nullDevice
        let holderExit = try holder.runWatchingExit()
        // The end of its input ends the holder. A `defer` cannot await its exit: this one only
        // ends a holder that a throw left running.
        defer { try? pipe.fileHandleForWriting.close() }
        try await eventually(timeout: .seconds(5), every: .milliseconds(50)) {
            FileManager.default.fileExists(atPath: data + "/LOCK")
        }
        try await Task.sleep(for: .milliseconds(200))
        let second = try await vigil(["import", "--data-dir", data, "--format", "raw", "-"], stdin: "x\n")
        #expect(second.status == 1)
        #expect(second.stderr.contains("locked by process \(holder.processIdentifier) (vigil)"))
        try pipe.fileHandleForWriting.close()
        _ = await holderExit.status
    }
}
