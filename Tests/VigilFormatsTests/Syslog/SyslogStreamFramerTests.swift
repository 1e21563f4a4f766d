import Testing
import VigilFormats

/// RFC 6587 framing of syslog over TCP.
@Suite struct SyslogStreamFramerTests {
    /// Feeds `chunks` one after another, as reads from a socket, and returns the messages (with a
    /// `!` appended to truncated ones).
    func frames(_ chunks: [String], maximum: Int = 1024, atEnd: Bool = true) -> [String] {
        var framer = SyslogStreamFramer(maximumMessageBytes: maximum)
        var buffer: [UInt8] = []
        var messages: [String] = []
        func drain(finishing: Bool) {
            let consumed = buffer.withUnsafeBufferPointer { bytes in
                framer.forEachMessage(in: bytes, atEnd: finishing) { range, truncated in
                    messages.append(String(decoding: bytes[range], as: UTF8.self) + (truncated ? "!" : ""))
                }
            }
            buffer.removeFirst(consumed)
        }
        for chunk in chunks {
            buffer += Array(chunk.utf8)
            drain(finishing: false)
        }
        if atEnd { drain(finishing: true) }
        return messages
    }

    @Test func octetCountingAndNewlineFramingMixPerFrame() {
        #expect(frames(["11 <13>hello a", "5 <13>b\n<14>line two\r\n", "<15>last\n"]) == ["<13>hello a", "<13>b", "<14>line two", "<15>last"])
        // An octet-counted message may contain newlines.
        #expect(frames(["17 <13>multi\nline ok"]) == ["<13>multi\nline ok"])
        // Stray line feeds and NULs between frames are skipped.
        #expect(frames(["\n\n4 abcd\0\n4 efgh"]) == ["abcd", "efgh"])
    }

    @Test func framesSplitAcrossReadsAreJoined() {
        #expect(frames(["1", "3 <13>a", "bcdefgh", "i"]) == ["<13>abcdefghi"])
        #expect(frames(["<13>par", "tial", " line\n"]) == ["<13>partial line"])
    }

    @Test func digitsWithoutASpaceAreNotACount() {
        #expect(frames(["2026-11-23 started\n"]) == ["2026-11-23 started"])
        #expect(frames(["12345678901 too many digits\n"]) == ["12345678901 too many digits"])
    }

    @Test func longMessagesAreCutAndTheRestOfTheirFrameSkipped() {
        #expect(frames(["<13>" + String(repeating: "x", count: 20) + "\n<14>next\n"], maximum: 10) == ["<13>xxxxxx!", "<14>next"])
        #expect(frames(["24 <13>" + String(repeating: "y", count: 20), "4 next"], maximum: 10) == ["<13>yyyyyy!", "next"])
        // Exactly the maximum is not cut.
        #expect(frames(["<13>xxxxxx\n"], maximum: 10) == ["<13>xxxxxx"])
    }

    @Test func theLastLineIsKeptWhenTheStreamEnds() {
        #expect(frames(["<13>one\n<13>no newline"]) == ["<13>one", "<13>no newline"])
        #expect(frames(["<13>one\n<13>no newline"], atEnd: false) == ["<13>one"])
        // An incomplete octet-counted frame is kept as far as it got.
        #expect(frames(["30 <13>cut short"]) == ["30 <13>cut short"])
    }
}
