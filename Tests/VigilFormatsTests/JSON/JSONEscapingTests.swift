import Testing
import VigilFormats

@Suite("JSONEscaping")
struct JSONEscapingTests {
    @Test("quotes, backslashes and control characters are escaped")
    func escapes() {
        #expect(JSONEscaping.quoted("plain") == #""plain""#)
        #expect(JSONEscaping.quoted("") == #""""#)
        #expect(JSONEscaping.quoted(#"a "q" \ b"#) == #""a \"q\" \\ b""#)
        #expect(JSONEscaping.quoted("n\nr\rt\tb\u{08}f\u{0C}") == #""n\nr\rt\tb\bf\f""#)
        #expect(JSONEscaping.quoted("\u{0}\u{1F}\u{7F}") == "\"\\u0000\\u001f\u{7F}\"")
    }

    @Test("non-ASCII text is copied as UTF-8")
    func unicode() {
        #expect(JSONEscaping.quoted("é 😀 日本 /") == "\"é 😀 日本 /\"")
    }

    @Test("appends to an existing buffer; contents without quotes")
    func appending() {
        var out = Array("[".utf8)
        JSONEscaping.append("a\"b", to: &out)
        out.append(UInt8(ascii: ","))
        JSONEscaping.appendContents("c\nd", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"["a\"b",c\nd"#)
    }

    @Test("invalid UTF-8 bytes become U+FFFD")
    func invalidBytes() {
        var out: [UInt8] = []
        let bytes: [UInt8] = [0x61, 0xFF, 0xC3, 0xA9, 0xED, 0xA0, 0x80, 0x22]
        bytes.withUnsafeBufferPointer { JSONEscaping.appendContents(utf8: $0, to: &out) }
        #expect(String(validating: out, as: UTF8.self) == "a\u{FFFD}é\u{FFFD}\u{FFFD}\u{FFFD}\\\"")
    }

    @Test("escaped output parses back to the same string")
    func roundTrip() throws {
        let samples = ["", "x", "\u{0}\u{1}\u{2}", "\"\\/", "tab\there", "😀\u{2028}\u{FEFF}", String(repeating: "ab\n", count: 100)]
        for sample in samples {
            #expect(try FlatJSONParser().value(JSONEscaping.quoted(sample)) == .string(sample))
        }
    }
}
