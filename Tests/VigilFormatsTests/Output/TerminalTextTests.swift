import Testing
import VigilCore
import VigilFormats

@Suite struct TerminalTextTests {
    @Test func controlCharactersAreShownNotObeyed() {
        #expect(TerminalText.escaped("\u{1b}[2J\u{1b}[31mred\u{07}") == "\\x1b[2J\\x1b[31mred\\x07")
        #expect(TerminalText.escaped("a\nb\rc\td") == "a\\nb\\rc\td")
        #expect(TerminalText.escaped("nul\u{0}del\u{7f}") == "nul\\x00del\\x7f")
        #expect(TerminalText.escaped("c1 \u{9b}2J and \u{85}") == "c1 \\u{009b}2J and \\u{0085}")
    }

    @Test func ordinaryTextIsUnchanged() {
        for text in ["", "plain", "ünïcødé ✓ 日本", "C:\\path\\x1b is text", "é\u{a0}nbsp"] {
            #expect(TerminalText.escaped(text) == text)
        }
    }

    @Test func theTextModesEscapeAndRawOrJSONDoNot() {
        let record = LogRecord(
            time: 0, host: "h\u{1b}", service: "s", severity: .err, message: "\u{1b}[2Jwiped\u{07}", fields: ["pid": "1\u{1b}"])
        func render(_ mode: RecordFormatter.Mode, raw: Bool = false) -> String {
            var formatter = RecordFormatter(mode: mode, utc: true, raw: raw)
            var output: [UInt8] = []
            formatter.append(record, to: &output)
            return String(decoding: output, as: UTF8.self)
        }
        #expect(render(.short) == "Jan 01 00:00:00 h\\x1b s[1\\x1b]: \\x1b[2Jwiped\\x07\n")
        #expect(render(.cat) == "\\x1b[2Jwiped\\x07\n")
        #expect(render(.cat, raw: true) == "\u{1b}[2Jwiped\u{07}\n")
        #expect(render(.json).contains(#""message":"\u001b[2Jwiped\u0007""#))
    }
}
