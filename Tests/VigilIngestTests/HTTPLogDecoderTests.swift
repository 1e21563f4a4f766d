import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilIngest

@Suite struct HTTPLogDecoderTests {
    let decoder = HTTPLogDecoder(maxBodyBytes: 1 << 20)

    func decode(_ text: String, _ format: HTTPLogDecoder.BodyFormat) throws(HTTPLogDecoder.Rejection) -> [LogRecord] {
        try decoder.decode(Array(text.utf8), format: format, receivedAt: 7)
    }

    @Test func oneObjectAnArrayAndNDJSON() throws {
        let one = try decode(#"{"time":"2026-11-23T10:00:00Z","level":"warn","service":"api","host":"h1","msg":"slow","user":{"id":3}}"#, .json)
        #expect(one.count == 1)
        #expect(one[0].service == "api" && one[0].host == "h1" && one[0].severity == .warning && one[0].message == "slow")
        #expect(one[0].fields == ["user.id": "3"])
        #expect(try decode(#"[{"msg":"a"},{"msg":"b"}]"#, .json).map(\.message) == ["a", "b"])
        #expect(try decode("{\"msg\":\"a\"}\n\n{\"msg\":\"b\"}\r\n", .ndjson).map(\.message) == ["a", "b"])
        #expect(try decode("{\"msg\":\"a\"}\n{\"msg\":\"b\"}\n", .detect).map(\.message) == ["a", "b"])
        #expect(try decode(" [{\"msg\":\"a\"}]", .detect).map(\.message) == ["a"])
        #expect(try decode(#"{"message":"no time"}"#, .json)[0].time == 7)
    }

    @Test func aBadLineRejectsTheWholeBodyAndNamesTheLine() {
        #expect(throws: HTTPLogDecoder.Rejection(status: 400, reason: "invalid JSON on line 2, byte 7: unexpected end of input", line: 2)) {
            try decode("{\"msg\":\"a\"}\n{\"msg\":\n{\"msg\":\"c\"}\n", .ndjson)
        }
        #expect(throws: HTTPLogDecoder.Rejection(status: 400, reason: "the body is empty")) { try decode("  ", .json) }
        #expect(throws: HTTPLogDecoder.Rejection.self) { try decode("[1, 2]", .json) }
    }

    @Test func contentTypesAndEncodings() throws {
        #expect(try HTTPLogDecoder.format(contentType: "application/json; charset=utf-8") == .json)
        #expect(try HTTPLogDecoder.format(contentType: "application/x-ndjson") == .ndjson)
        #expect(try HTTPLogDecoder.format(contentType: nil) == .detect)
        #expect(throws: HTTPLogDecoder.Rejection.self) { try HTTPLogDecoder.format(contentType: "text/xml") }
        #expect(throws: HTTPLogDecoder.Rejection(status: 415, reason: "unsupported content encoding \"br\"; send gzip or identity")) {
            try decode([1], encoding: "br")
        }
    }

    @Test func gzipBodiesInflateWithinTheLimit() async throws {
        let text = String(repeating: "{\"msg\":\"hello\"}\n", count: 1000)
        let compressed = try await gzip(Array(text.utf8))
        let records = try decode(compressed, encoding: "gzip")
        #expect(records.count == 1000)
        #expect(records.allSatisfy { $0.message == "hello" })
        // Two concatenated members inflate to both.
        #expect(try decode(compressed + compressed, encoding: "gzip").count == 2000)
        // Identity bodies are decoded as they are.
        #expect(try decode(Array(text.utf8), encoding: nil).count == 1000)
        let small = HTTPLogDecoder(maxBodyBytes: 1024)
        #expect(throws: HTTPLogDecoder.Rejection(status: 413, reason: "the body inflates to more than 1024 bytes")) {
            try compressed.withUnsafeBufferPointer { (body) throws(HTTPLogDecoder.Rejection) in
                _ = try small.decode(body, contentEncoding: "gzip", format: .ndjson, receivedAt: 7)
            }
        }
        #expect(throws: HTTPLogDecoder.Rejection.self) { try decode(Array(compressed.dropLast(12)), encoding: "gzip") }
        #expect(throws: HTTPLogDecoder.Rejection.self) { try decode(Array("not gzip".utf8), encoding: "gzip") }
    }

    func decode(_ body: [UInt8], encoding: String?) throws(HTTPLogDecoder.Rejection) -> [LogRecord] {
        try body.withUnsafeBufferPointer { (bytes) throws(HTTPLogDecoder.Rejection) in
            try decoder.decode(bytes, contentEncoding: encoding, format: .ndjson, receivedAt: 7)
        }
    }

    /// Compresses with the real gzip command. Its output goes to a file, read once it has exited:
    /// reading a pipe to its end would block this thread until then.
    func gzip(_ bytes: [UInt8]) async throws -> [UInt8] {
        let scratch = Scratch()
        defer { scratch.remove() }
        let outputPath = scratch.path + "/out.gz"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        let exit = try process.runWatchingExit()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        _ = await exit.status
        return Array(try Data(contentsOf: URL(fileURLWithPath: outputPath)))
    }
}
