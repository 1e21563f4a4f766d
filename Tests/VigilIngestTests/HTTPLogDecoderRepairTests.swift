import Testing
import VigilCore
import VigilIngest

/// One bad byte inside a JSON string costs nothing: it becomes U+FFFD, the record is kept, and the
/// decoder says how many it replaced. Text that is not JSON still refuses the body.
@Suite struct HTTPLogDecoderRepairTests {
    let decoder = HTTPLogDecoder(maxBodyBytes: 1 << 20)

    func decode(_ bytes: [UInt8], format: HTTPLogDecoder.BodyFormat) throws(HTTPLogDecoder.Rejection) -> ([LogRecord], Int) {
        var repaired = 0
        let records = try bytes.withUnsafeBufferPointer { (body) throws(HTTPLogDecoder.Rejection) in
            try decoder.decode(body, contentEncoding: nil, format: format, receivedAt: 1, repaired: &repaired)
        }
        return (records, repaired)
    }

    @Test func aBadByteInOneLineKeepsEveryLine() throws {
        let body = Array(#"{"msg":"one"}"#.utf8) + [0x0A] + Array(#"{"msg":"t"#.utf8) + [0xFF] + Array(#"wo","k\#u{e9}":"v"}"#.utf8)
            + [0x0A] + Array(#"{"msg":"three"}"#.utf8) + [0x0A]
        let (records, repaired) = try decode(body, format: .ndjson)
        #expect(records.map(\.message) == ["one", "t\u{FFFD}wo", "three"])
        #expect(repaired == 1)
        #expect(records[1].fields["k\u{e9}"] == "v")
    }

    @Test func keysTruncatedSequencesAndArraysAreRepairedToo() throws {
        let body = Array(#"[{"m\#u{0}"#.utf8.dropLast()) + [0xC3] + Array(#"sg":"a"},{"msg":"b"#.utf8) + [0xE2, 0x82] + Array(#""}]"#.utf8)
        let (records, repaired) = try decode(body, format: .json)
        #expect(records.count == 2)
        #expect(repaired == 3)
        // A truncated sequence is one U+FFFD (Unicode's maximal subpart), two bytes counted.
        #expect(records[1].message == "b\u{FFFD}")
    }

    @Test func aLineThatIsNotJSONStillRefusesTheBodyNamingIt() {
        let body = Array("{\"msg\":\"ok\"}\n{\"msg\": oops}\n".utf8)
        #expect(throws: HTTPLogDecoder.Rejection.self) { _ = try decode(body, format: .ndjson) }
        do {
            _ = try decode(body, format: .ndjson)
        } catch {
            #expect(error.status == 400 && error.line == 2)
        }
    }
}
