import Foundation
import Testing
import VigilCore
import VigilStore
import VigilTestSupport

/// `vigil verify` and `vigil stats` on real segments, clean and damaged.
@Suite struct VerifyStatsCommandTests {
    static func store(_ scratch: Scratch, lines: Int = 3000) async throws -> String {
        let data = scratch.path + "/data"
        var text = ""
        for i in 0..<lines {
            text += "<14>Jun 15 2026 10:\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60)) host\(i % 3) app\(i % 7)[\(i)]: request \(i) served in \(i % 97) ms\n"
        }
        // Three imports: three segments.
        for part in 0..<3 {
            let chunk = text.split(separator: "\n").enumerated().filter { $0.offset % 3 == part }.map(\.element).joined(separator: "\n") + "\n"
            let result = try await vigil(["import", "--data-dir", data, scratch.file("part\(part).log", chunk)])
            #expect(result.status == 0, "\(result.stderr)")
        }
        return data
    }

    @Test func verifyIsCleanThenReportsAFlippedByteAndQueryStillAnswers() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = try await Self.store(scratch)
        let clean = try await vigil(["verify", "--data-dir", data])
        #expect(clean.status == 0)
        #expect(clean.stderr.contains("ok: 3 segments"))

        let segment = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".vseg") }.sorted()[1]
        let path = data + "/" + segment
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 32 + 64 + 40)
        let byte = try handle.read(upToCount: 1)![0]
        try handle.seek(toOffset: 32 + 64 + 40)
        try handle.write(contentsOf: Data([byte ^ 0x20]))
        try handle.close()

        let broken = try await vigil(["verify", "--data-dir", data])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("\(path): offset 32: "))
        #expect(broken.stderr.contains("CORRUPT"))

        let query = try await vigil(["query", "--data-dir", data, "--count", "--grep", "served"])
        #expect(query.status == 0)
        #expect(query.stdout == "2000\n")
        #expect(query.stderr.contains("warning") && query.stderr.contains("offset 32"))
    }

    @Test func statsReportCountsSizesAndSpan() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = try await Self.store(scratch)
        let text = try await vigil(["stats", "--data-dir", data])
        #expect(text.status == 0)
        #expect(text.stdout.contains("records:      3000"))
        #expect(text.stdout.contains("segments:     3 (3 sealed)"))
        let json = try await vigil(["stats", "--data-dir", data, "-o", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["records"] as? Int == 3000)
        #expect((object["compression_ratio"] as? Double ?? 0) > 1)
        #expect(object["oldest"] as? String == "2026-06-15T10:00:00.000Z")
    }

    @Test func followPrintsAppendedRecords() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/data"
        try await vigil(["import", "--data-dir", data, "--format", "raw", "-"], stdin: "first\n")
        let follower = Process()
        follower.executableURL = productsDirectory.appendingPathComponent("vigil")
        follower.arguments = ["query", "--data-dir", data, "--follow", "-o", "cat"]
        let outPath = scratch.path + "/follow.out"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        follower.standardOutput = FileHandle(forWritingAtPath: outPath)
        let followerExit = try follower.runWatchingExit()
        // A `defer` cannot await the exit: this one only stops a follower that a throw left running.
        defer { if follower.isRunning { follower.terminate() } }
        try await Task.sleep(for: .milliseconds(500))
        try await vigil(["import", "--data-dir", data, "--format", "raw", "-"], stdin: "second\nthird\n")
        var output = ""
        try await eventually(timeout: .seconds(5), every: .milliseconds(100)) {
            output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            return output == "first\nsecond\nthird\n"
        }
        #expect(output == "first\nsecond\nthird\n")
        follower.terminate()
        _ = await followerExit.status
    }

    @Test func statsCountCatchUpBlocks() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let data = scratch.path + "/data"
        // Every UDP-style (relaxed) commit counts as behind: its block is a catch-up block.
        var configuration = StoreConfiguration()
        configuration.commitDelay = 0
        configuration.catchUpAfter = 0
        let writer = try StoreWriter(directory: data, configuration: configuration)
        for batch in 0..<3 {
            let records = (0..<100).map { LogRecord(time: Int64(batch * 100 + $0), service: "udp", message: "line \($0)") }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                writer.append(records, acknowledgement: .afterWrite) { _ in done.resume() }
            }
        }
        try await writer.append([LogRecord(time: 1_000, service: "http", message: "waited")])
        try await writer.close()
        let text = try await vigil(["stats", "--data-dir", data])
        #expect(text.stdout.contains("records:      301"))
        #expect(text.stdout.contains("catch-up:     3 blocks"))
        let json = try await vigil(["stats", "--data-dir", data, "-o", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["catch_up_blocks"] as? Int == 3)
    }
}
