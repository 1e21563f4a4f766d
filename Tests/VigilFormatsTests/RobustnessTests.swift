import Foundation
import Testing
import VigilCore
import VigilFormats
import VigilTestSupport

/// Property-style tests: seeded random and mutated inputs never crash the parsers, and the
/// invariants that must hold for any input do.
@Suite("Robustness")
struct RobustnessTests {
    static let seeds: [String] = [
        #"<13>1 2026-11-23T10:00:00.123456+00:00 myhost root 1234 - [timeQuality tzKnown="1" isSynced="1"] hello"#,
        #"<165>1 2003-10-11T22:14:15.003Z host app - ID47 [a@1 x="\"q\\\]"][b y=""] msg"#,
        "<13>Nov 23 10:00:00 myhost sshd[42]: Accepted publickey",
        "<13>2026-11-23T10:00:00.123+01:00 host tag[1]: msg",
        "Nov  3 10:00:00 host cron: job\n<14>x\n\tcontinued",
        #"{"time":"2026-11-23T10:00:00Z","level":"warn","msg":"a\"b\u00e9\ud83d\ude00","n":-1.5e3,"o":{"p":[1,{"q":null}]}}"#,
        #"[{"a":1},{"b":[true,false]}]"#,
        "{\"a\":1}\n\n{\"b\":\"c\"}\r\n",
        #"<13>1 9999-12-31T23:59:59Z h a - - - x"#,
        "<13>Nov 23 0001 10:00:00 h a: x",
        #"{"time":"0001-01-01T00:00:00Z","ts":99999999999999999,"timestamp":9223372036854775807}"#,
    ]

    static let alphabet = Array(#"<>[]{}":,\ -=.0123456789abcdefnrtuTZ@/"#.utf8) + [0x0A, 0x0D, 0x00, 0x09, 0xC3, 0xA9, 0xFF, 0xED, 0xF0, 0x9F]

    static func randomInput(_ rng: inout SplitMix) -> [UInt8] {
        if Bool.random(using: &rng) {
            let length = Int.random(in: 0...120, using: &rng)
            return (0..<length).map { _ in
                Int.random(in: 0..<8, using: &rng) == 0 ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng)!
            }
        }
        var bytes = Array(seeds.randomElement(using: &rng)!.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes[at] = alphabet.randomElement(using: &rng)!
            case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
            case 2: bytes.remove(at: at)
            default: bytes.removeSubrange(at...)
            }
        }
        return bytes
    }

    /// A random valid JSON text: nested values, random whitespace, every escape, assorted numbers.
    static func randomJSON(_ rng: inout SplitMix, depth: Int) -> String {
        func ws(_ rng: inout SplitMix) -> String {
            Int.random(in: 0..<4, using: &rng) == 0 ? [" ", "\n", "\t ", "\r\n"].randomElement(using: &rng)! : ""
        }
        func string(_ rng: inout SplitMix) -> String {
            let pieces = ["a", "Z", " ", "é", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u0041", "\\u00e9", "\\ud83d\\ude00", "\\b"]
            return "\"" + (0..<Int.random(in: 0...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() + "\""
        }
        let kind = depth >= 4 ? Int.random(in: 2..<7, using: &rng) : Int.random(in: 0..<7, using: &rng)
        switch kind {
        case 0:
            let members = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                ws(&rng) + string(&rng) + ws(&rng) + ":" + ws(&rng) + randomJSON(&rng, depth: depth + 1) + ws(&rng)
            }
            return "{" + ws(&rng) + members.joined(separator: ",") + "}"
        case 1:
            let elements = (0..<Int.random(in: 0...4, using: &rng)).map { _ in ws(&rng) + randomJSON(&rng, depth: depth + 1) + ws(&rng) }
            return "[" + ws(&rng) + elements.joined(separator: ",") + "]"
        case 2: return string(&rng)
        case 3: return ["0", "-0", "12", "-3.25", "1e5", "2E-3", "6.02e+23", "123456789012345678901234"].randomElement(using: &rng)!
        case 4: return "true"
        case 5: return "false"
        default: return "null"
        }
    }

    @Test("random and mutated inputs never crash any parser")
    func neverCrash() {
        var rng = SplitMix(seed: 0x5EED_0F_71_61_1)
        var syslog = SyslogParser()
        let json = FlatJSONParser()
        let records = JSONRecordDecoder()
        var decoders = LineFormat.allCases.map { LineDecoder(format: $0) }
        for _ in 0..<5000 {
            let input = Int.random(in: 0..<3, using: &rng) == 0 ? Array(Self.randomJSON(&rng, depth: 0).utf8) : Self.randomInput(&rng)
            input.withUnsafeBufferPointer { b in
                let record = syslog.parse(b, receivedAt: testReceivedAt)
                #expect(record.isRaw == syslog.lastParseWasRaw)
                if record.isRaw { #expect(record.time == testReceivedAt) }
                _ = syslog.parseRFC5424(b, receivedAt: testReceivedAt)

                var previousEnd = 0
                for range in SyslogParser.splitMessages(b) {
                    #expect(range.lowerBound >= previousEnd && range.upperBound <= b.count && !range.isEmpty)
                    previousEnd = range.upperBound
                }

                for attempt in 0..<4 {
                    do throws(JSONParseError) {
                        switch attempt {
                        case 0: _ = try json.parseObject(b)
                        case 1: _ = try json.parseValue(b)
                        case 2: _ = try json.parseObjects(b)
                        default: _ = try records.decode(b, receivedAt: testReceivedAt)
                        }
                    } catch {
                        #expect(error.offset >= 0 && error.offset <= b.count)
                        #expect(!error.description.isEmpty)
                    }
                }
                do throws(JSONParseError) {
                    _ = try json.parseNDJSON(b)
                } catch {
                    #expect(error.line != nil)
                }
                for index in decoders.indices {
                    _ = decoders[index].decode(line: b, receivedAt: testReceivedAt)
                }
            }
        }
    }

    @Test("the parser agrees with Foundation on which random JSON texts are valid")
    func agreesWithFoundation() {
        var rng = SplitMix(seed: 42)
        var checked = 0
        var valid = 0
        for _ in 0..<3000 {
            var input = Array(Self.randomJSON(&rng, depth: 0).utf8)
            if Bool.random(using: &rng), !input.isEmpty {
                let at = Int.random(in: 0..<input.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: input[at] = Self.alphabet.randomElement(using: &rng)!
                case 1: input.insert(Self.alphabet.randomElement(using: &rng)!, at: at)
                default: input.remove(at: at)
                }
            }
            let ours: Bool
            do throws(JSONParseError) {
                _ = try input.withUnsafeBufferPointer { b in
                    Result { () throws(JSONParseError) in try FlatJSONParser().parseValue(b) }
                }.get()
                ours = true
            } catch {
                ours = false
            }
            // Foundation tolerates lone surrogate escapes and treats a BOM differently; skip those.
            let text = String(decoding: input, as: UTF8.self)
            if (!ours && (text.contains("\\ud") || text.contains("\\uD"))) || input.starts(with: [0xEF, 0xBB, 0xBF]) { continue }
            let theirs = (try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])) != nil
            #expect(ours == theirs, "\(text.debugDescription)")
            checked += 1
            if ours { valid += 1 }
        }
        #expect(checked > 2000)
        #expect(valid > 1000, "too few valid inputs (\(valid)) for the comparison to mean much")
    }

    @Test("escaping then parsing returns any string unchanged")
    func escapeRoundTrip() throws {
        var rng = SplitMix(seed: 7)
        let parser = FlatJSONParser()
        for _ in 0..<2000 {
            let length = Int.random(in: 0...40, using: &rng)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length {
                let range: ClosedRange<UInt32> = [0...0x7F, 0...0x7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF].randomElement(using: &rng)!
                scalars.append(Unicode.Scalar(UInt32.random(in: range, using: &rng)) ?? "?")
            }
            let string = String(scalars)
            #expect(try parser.value(JSONEscaping.quoted(string)) == .string(string))
            var object = Array("{".utf8)
            JSONEscaping.append(string, to: &object)
            object += Array(":1}".utf8)
            #expect(try parser.object(bytes: object) == [string: "1"])
        }
    }

    @Test("raw records keep the input text")
    func rawKeepsText() {
        var rng = SplitMix(seed: 99)
        var decoder = LineDecoder(format: .raw)
        for _ in 0..<1000 {
            var input = (0..<Int.random(in: 0...60, using: &rng)).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
            let expected = String(decoding: input, as: UTF8.self)
            input += [0x0A]
            let record = input.withUnsafeBufferPointer { decoder.decode(line: $0, receivedAt: 1) }
            #expect(record.message == expected)
            #expect(record.isRaw)
        }
    }
}
