import Testing
import VigilFormats

@Suite("SyslogParser.splitMessages")
struct SyslogParserSplittingTests {
    @Test("several messages in one datagram, empty lines ignored")
    func several() {
        let parts = SyslogParser.split("<13>Nov 23 10:00:00 h a: one\n<14>Nov 23 10:00:01 h a: two\r\n\n\n<15>1 - - - - - - three\n")
        #expect(
            parts == ["<13>Nov 23 10:00:00 h a: one", "<14>Nov 23 10:00:01 h a: two", "<15>1 - - - - - - three"])
    }

    @Test("a line without a PRI continues the message before it")
    func continuation() {
        let parts = SyslogParser.split("<11>Nov 23 10:00:00 h java: Exception\n\tat a.b(C.java:1)\n\n\tat d\n<13>x\n")
        #expect(parts == ["<11>Nov 23 10:00:00 h java: Exception\n\tat a.b(C.java:1)\n\n\tat d", "<13>x"])
    }

    @Test("without a leading PRI every non-empty line is a message")
    func unframed() {
        #expect(SyslogParser.split("Nov 23 10:00:00 h a: one\n\nsecond line\r\n\0") == ["Nov 23 10:00:00 h a: one", "second line"])
    }

    @Test("nothing in, nothing out; one message without a newline")
    func edges() {
        #expect(SyslogParser.split("").isEmpty)
        #expect(SyslogParser.split("\n\r\n\0").isEmpty)
        #expect(SyslogParser.split("<13>only") == ["<13>only"])
        #expect(SyslogParser.split("\n\n<13>late start\n") == ["<13>late start"])
    }

    @Test("each split message parses")
    func parseEach() {
        let datagram = Array("<13>Nov 23 10:00:00 h a: one\n<14>Nov 23 10:00:01 h b[2]: two\n".utf8)
        var parser = SyslogParser()
        let records = datagram.withUnsafeBufferPointer { b in
            SyslogParser.splitMessages(b).map { parser.parse(UnsafeBufferPointer(rebasing: b[$0]), receivedAt: testReceivedAt) }
        }
        #expect(records.map(\.message) == ["one", "two"])
        #expect(records.map(\.service) == ["a", "b"])
    }
}
