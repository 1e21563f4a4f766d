import Testing
import VigilFormats

@Suite("FlatJSONParser")
struct FlatJSONParserTests {
    let parser = FlatJSONParser()

    @Test("nested objects flatten with dots; booleans as text; null skipped")
    func nesting() throws {
        let object = try parser.object(
            #"{"a":{"b":1,"c":{"d":"x"}},"e":true,"f":false,"g":null,"h":{},"i":{"j":null}}"#)
        #expect(object == ["a.b": "1", "a.c.d": "x", "e": "true", "f": "false"])
    }

    @Test("whitespace everywhere JSON allows it")
    func whitespace() throws {
        let object = try parser.object(" \t\r\n{ \"a\" :\n1 ,\t\"b\" : { \"c\" : \"d\" } }\n ")
        #expect(object == ["a": "1", "b.c": "d"])
    }

    @Test("all string escapes")
    func escapes() throws {
        let object = try parser.object(#"{"s":"q\"b\\s\/b\bf\fn\nr\rt\t\u0041\u00e9\u20AC\u0000end","k\"ey":1}"#)
        #expect(object["s"] == "q\"b\\s/b\u{08}f\u{0C}n\nr\rt\tAé€\u{0}end")
        #expect(object["k\"ey"] == "1")
    }

    @Test("surrogate pairs decode to one scalar; raw UTF-8 passes through")
    func surrogates() throws {
        #expect(try parser.object(#"{"e":"\ud83d\ude00 \uD834\uDD1E"}"#) == ["e": "😀 𝄞"])
        #expect(try parser.object(#"{"k":"héllo 😀 日本"}"#) == ["k": "héllo 😀 日本"])
    }

    @Test("unpaired surrogates are rejected")
    func unpairedSurrogates() {
        #expect(throws: JSONParseError.unpairedSurrogate(offset: 6)) { try parser.object(#"{"e":"\ud83d"}"#) }
        #expect(throws: JSONParseError.unpairedSurrogate(offset: 6)) { try parser.object(#"{"e":"\ud83dx\ude00"}"#) }
        #expect(throws: JSONParseError.unpairedSurrogate(offset: 6)) { try parser.object(#"{"e":"\ude00"}"#) }
        #expect(throws: JSONParseError.unpairedSurrogate(offset: 6)) { try parser.object(#"{"e":"\ud83d\u0041"}"#) }
    }

    @Test("numbers keep their source text")
    func numbers() throws {
        let object = try parser.object(
            #"{"a":0,"b":-1.5e+10,"c":1E3,"d":123456789012345678901234567890,"e":-0.0,"f":2e-5}"#)
        #expect(
            object == [
                "a": "0", "b": "-1.5e+10", "c": "1E3", "d": "123456789012345678901234567890", "e": "-0.0", "f": "2e-5",
            ])
    }

    @Test(
        "numbers outside the grammar are rejected",
        arguments: [
            (#"{"a":01}"#, JSONParseError.invalidNumber(offset: 5)),
            (#"{"a":1.}"#, .invalidNumber(offset: 5)),
            (#"{"a":-}"#, .invalidNumber(offset: 5)),
            (#"{"a":1e}"#, .invalidNumber(offset: 5)),
            (#"{"a":1e+}"#, .invalidNumber(offset: 5)),
            (#"{"a":-x}"#, .invalidNumber(offset: 5)),
            (#"{"a":.5}"#, .unexpectedCharacter(UInt8(ascii: "."), offset: 5, expected: "a JSON value")),
            (#"{"a":+1}"#, .unexpectedCharacter(UInt8(ascii: "+"), offset: 5, expected: "a JSON value")),
            (#"{"a":1.5.2}"#, .unexpectedCharacter(UInt8(ascii: "."), offset: 8, expected: "',' or '}'")),
        ])
    func badNumbers(text: String, error: JSONParseError) {
        #expect(throws: error) { try parser.object(text) }
    }

    @Test("arrays are kept as compact JSON text")
    func arrays() throws {
        let object = try parser.object(
            #"{"tags":[ "x y" , 2, {"k": [true, null, "a\" ]"]} ],"empty":[ ],"n":{"list":[1,2]}}"#)
        #expect(object["tags"] == #"["x y",2,{"k":[true,null,"a\" ]"]}]"#)
        #expect(object["empty"] == "[]")
        #expect(object["n.list"] == "[1,2]")
    }

    @Test("later duplicates win, also across flattening")
    func duplicates() throws {
        #expect(try parser.object(#"{"a":1,"a":2}"#) == ["a": "2"])
        #expect(try parser.object(#"{"a.b":1,"a":{"b":2}}"#) == ["a.b": "2"])
    }

    @Test("a leading byte-order mark is ignored")
    func bom() throws {
        #expect(try parser.object(bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8)) == ["a": "1"])
    }

    @Test(
        "invalid JSON is rejected with the byte offset",
        arguments: [
            ("", JSONParseError.unexpectedEnd(offset: 0)),
            ("   ", .unexpectedEnd(offset: 3)),
            (#"{"a":1"#, .unexpectedEnd(offset: 6)),
            (#"{"a":"xy"#, .unexpectedEnd(offset: 8)),
            (#"{"a":1,}"#, .unexpectedCharacter(UInt8(ascii: "}"), offset: 7, expected: "a string key")),
            (#"{"a" 1}"#, .unexpectedCharacter(UInt8(ascii: "1"), offset: 5, expected: "':'")),
            (#"{"a":1 "b":2}"#, .unexpectedCharacter(UInt8(ascii: "\""), offset: 7, expected: "',' or '}'")),
            (#"{a:1}"#, .unexpectedCharacter(UInt8(ascii: "a"), offset: 1, expected: "a string key")),
            (#"{"a":1} x"#, .trailingCharacters(offset: 8)),
            (#"{"a":1}{}"#, .trailingCharacters(offset: 7)),
            (#"{"a":tru}"#, .unexpectedCharacter(UInt8(ascii: "}"), offset: 8, expected: "'true'")),
            (#"{"a":nul"#, .unexpectedEnd(offset: 8)),
            (#"{"a":"\x"}"#, .invalidEscape(offset: 6)),
            (#"{"a":"\u12G4"}"#, .invalidUnicodeEscape(offset: 6)),
            ("{\"a\":\"x\ty\"}", .controlCharacterInString(offset: 7)),
            (#"{"a":[1,]}"#, .unexpectedCharacter(UInt8(ascii: "]"), offset: 8, expected: "a JSON value")),
            (#"{"a":[1 2]}"#, .unexpectedCharacter(UInt8(ascii: "2"), offset: 8, expected: "',' or ']'")),
            ("[1]", .notAnObject(offset: 0)),
            (" \"s\"", .notAnObject(offset: 1)),
            ("hello", .unexpectedCharacter(UInt8(ascii: "h"), offset: 0, expected: "'{'")),
        ])
    func invalid(text: String, error: JSONParseError) {
        #expect(throws: error) { try parser.object(text) }
    }

    @Test("invalid UTF-8 inside strings is rejected", arguments: [
        [0xFF], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0xE2, 0x82],
    ] as [[UInt8]])
    func invalidUTF8(sequence: [UInt8]) {
        let bytes = Array(#"{"a":"x"#.utf8) + sequence + Array(#"y"}"#.utf8)
        #expect(throws: JSONParseError.invalidUTF8(offset: 7)) { try parser.object(bytes: bytes) }
    }

    @Test("nesting is limited")
    func depth() throws {
        let deep = { (levels: Int) in String(repeating: #"{"a":"#, count: levels) + "1" + String(repeating: "}", count: levels) }
        let ok = try parser.object(deep(64))
        #expect(ok.count == 1)
        #expect(ok.keys.first?.split(separator: ".").count == 64)
        #expect(throws: JSONParseError.tooDeep(offset: 5 * 64, limit: 64)) { try parser.object(deep(65)) }

        let arrays = #"{"a":"# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        #expect(try parser.object(arrays)["a"]?.count == 126)
        let tooManyArrays = #"{"a":"# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        #expect(throws: JSONParseError.tooDeep(offset: 5 + 63, limit: 64)) { try parser.object(tooManyArrays) }

        let shallow = FlatJSONParser(maxDepth: 2)
        #expect(try shallow.object(#"{"a":{"b":1}}"#) == ["a.b": "1"])
        #expect(throws: JSONParseError.tooDeep(offset: 10, limit: 2)) { try shallow.object(#"{"a":{"b":{"c":1}}}"#) }
    }

    @Test("a pathologically deep input fails cleanly")
    func veryDeep() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.tooDeep(offset: 64, limit: 64)) { try parser.value(text) }
    }

    @Test("parseValue returns any kind of value")
    func values() throws {
        #expect(try parser.value(#" "s\n" "#) == .string("s\n"))
        #expect(try parser.value("-12.5e3") == .number("-12.5e3"))
        #expect(try parser.value("[1, [2]]") == .array("[1,[2]]"))
        #expect(try parser.value("true") == .bool(true))
        #expect(try parser.value("false") == .bool(false))
        #expect(try parser.value("null") == .null)
        #expect(try parser.value(#"{"a":[]}"#) == .object(["a": "[]"]))
        #expect(throws: JSONParseError.trailingCharacters(offset: 5)) { try parser.value("true false") }
    }

    @Test("parseObjects accepts one object or an array of objects")
    func objects() throws {
        #expect(try parser.objects(#"[{"a":1}, {"b":{"c":2}}]"#) == [["a": "1"], ["b.c": "2"]])
        #expect(try parser.objects(#" {"a":1} "#) == [["a": "1"]])
        #expect(try parser.objects(" [ ] ") == [])
        #expect(throws: JSONParseError.notAnObject(offset: 9)) { try parser.objects(#"[{"a":1},2]"#) }
        #expect(throws: JSONParseError.unexpectedEnd(offset: 8)) { try parser.objects(#"[{"a":1}"#) }
        #expect(throws: JSONParseError.notAnObject(offset: 0)) { try parser.objects("3") }
    }

    @Test("NDJSON: one object per line, blank lines skipped")
    func ndjson() throws {
        let objects = try parser.ndjson("{\"a\":1}\n\n{\"b\":2}\r\n  \t\n{\"c\":{\"d\":3}}")
        #expect(objects == [["a": "1"], ["b": "2"], ["c.d": "3"]])
        #expect(try parser.ndjson("") == [])
        #expect(try parser.ndjson("\n\n") == [])
    }

    @Test("NDJSON errors name the 1-based line and the offset within it")
    func ndjsonErrors() {
        let expected = JSONParseError.onLine(
            3, .unexpectedCharacter(UInt8(ascii: "}"), offset: 5, expected: "a JSON value"))
        #expect(throws: expected) { try parser.ndjson("{\"a\":1}\n\n{\"b\":}\n{\"c\":3}") }
        do {
            _ = try parser.ndjson("{\"a\":1}\n[1]\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.offset == 0)
            #expect(error.description == "line 2, byte 0: expected a JSON object")
        }
    }

    @Test("NDJSON streaming delivers the objects before a bad line")
    func ndjsonStreaming() {
        let bytes = Array("{\"a\":1}\n{\"b\":2}\nnope\n".utf8)
        var seen: [Int] = []
        let result = bytes.withUnsafeBufferPointer { b in
            Result { () throws(JSONParseError) in try parser.forEachNDJSONObject(in: b) { _, line in seen.append(line) } }
        }
        #expect(seen == [1, 2])
        #expect(throws: JSONParseError.onLine(3, .unexpectedCharacter(UInt8(ascii: "o"), offset: 1, expected: "'null'"))) {
            try result.get()
        }
    }

    @Test("error messages say where and why")
    func messages() {
        #expect(
            JSONParseError.unexpectedCharacter(UInt8(ascii: "}"), offset: 7, expected: "a string key").description
                == "byte 7: unexpected '}', expected a string key")
        #expect(JSONParseError.unexpectedCharacter(0x0A, offset: 1, expected: "':'").reason == "unexpected byte 0x0A, expected ':'")
        #expect(JSONParseError.tooDeep(offset: 64, limit: 64).description == "byte 64: nesting deeper than 64 levels")
    }
}
