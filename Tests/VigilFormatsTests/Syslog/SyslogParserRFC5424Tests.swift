import Foundation
import Testing
import VigilCore
import VigilFormats

@Suite("SyslogParser RFC 5424")
struct SyslogParserRFC5424Tests {
    @Test("the message `logger --rfc5424` sends")
    func loggerRFC5424() {
        var parser = SyslogParser()
        let record = parser.parse(
            #"<13>1 2026-11-23T10:00:00.123456+00:00 myhost root 1234 - [timeQuality tzKnown="1" isSynced="1" syncAccuracy="12345"] hello"#
        )
        #expect(!record.isRaw)
        #expect(!parser.lastParseWasRaw)
        #expect(record.time == nanos("2026-11-23T10:00:00.123456Z"))
        #expect(record.receivedAt == testReceivedAt)
        #expect(record.host == "myhost")
        #expect(record.service == "root")
        #expect(record.facility == .user)
        #expect(record.severity == .notice)
        #expect(record.message == "hello")
        #expect(
            record.fields == [
                "pid": "1234", "sd.timeQuality.tzKnown": "1", "sd.timeQuality.isSynced": "1",
                "sd.timeQuality.syncAccuracy": "12345",
            ])
    }

    @Test("RFC 5424 example 1: MSGID, no SD, BOM before the message")
    func bomStripped() {
        var parser = SyslogParser()
        let bytes = Array("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - ".utf8) + [0xEF, 0xBB, 0xBF]
            + Array("'su root' failed for lonvick on /dev/pts/8".utf8)
        let record = parser.parse(bytes: bytes)
        #expect(record.time == nanos("2003-10-11T22:14:15.003Z"))
        #expect(record.facility == Facility(rawValue: 4))
        #expect(record.severity == .crit)
        #expect(record.host == "mymachine.example.com")
        #expect(record.service == "su")
        #expect(record.fields == ["msgid": "ID47"])
        #expect(record.message == "'su root' failed for lonvick on /dev/pts/8")
    }

    @Test("several SD elements with enterprise numbers")
    func multipleElements() {
        var parser = SyslogParser()
        let record = parser.parse(
            #"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] An application event log entry..."#
        )
        #expect(record.facility == Facility(rawValue: 20))
        #expect(record.severity == .notice)
        #expect(record.service == "evntslog")
        #expect(record.message == "An application event log entry...")
        #expect(
            record.fields == [
                "msgid": "ID47", "sd.exampleSDID@32473.iut": "3", "sd.exampleSDID@32473.eventSource": "Application",
                "sd.exampleSDID@32473.eventID": "1011", "sd.examplePriority@32473.class": "high",
            ])
    }

    @Test("escaped quote, bracket and backslash in SD values; other backslashes are literal")
    func sdEscapes() {
        var parser = SyslogParser()
        let record = parser.parse(
            #"<13>1 - h a - - [x@1 q="say \"hi\"" b="a\]b" s="C:\\dir\\" o="tab\there" e=""] msg"#)
        #expect(record.fields["sd.x@1.q"] == #"say "hi""#)
        #expect(record.fields["sd.x@1.b"] == "a]b")
        #expect(record.fields["sd.x@1.s"] == #"C:\dir\"#)
        #expect(record.fields["sd.x@1.o"] == #"tab\there"#)
        #expect(record.fields["sd.x@1.e"] == "")
        #expect(record.message == "msg")
    }

    @Test("NILVALUE in every header field")
    func nilValues() {
        var parser = SyslogParser()
        let bare = parser.parse("<13>1 - - - - - -")
        #expect(!bare.isRaw)
        #expect(bare.time == testReceivedAt)
        #expect(bare.host == "")
        #expect(bare.service == "")
        #expect(bare.fields.isEmpty)
        #expect(bare.message == "")

        let withMessage = parser.parse("<14>1 - - - - - - a message")
        #expect(withMessage.message == "a message")
        #expect(withMessage.severity == .info)
        #expect(withMessage.fields.isEmpty)
    }

    @Test("SD without a message, and an element without parameters")
    func sdWithoutMessage() {
        var parser = SyslogParser()
        let record = parser.parse(#"<13>1 2026-11-23T10:00:00Z h app 7 m1 [a b="c"][empty@1]"#)
        #expect(record.message == "")
        #expect(record.fields == ["pid": "7", "msgid": "m1", "sd.a.b": "c"])
    }

    @Test("a time-zone offset is applied")
    func offset() {
        var parser = SyslogParser()
        let record = parser.parse("<13>1 2026-11-23T10:00:00.123+01:00 h app - - - x")
        #expect(record.time == nanos("2026-11-23T09:00:00.123Z"))
    }

    @Test("malformed structured data keeps the header and becomes the message")
    func malformedSD() {
        var parser = SyslogParser()
        let record = parser.parse(#"<13>1 2026-11-23T10:00:00Z host app - - [broken x="1" message"#)
        #expect(!record.isRaw)
        #expect(record.host == "host")
        #expect(record.service == "app")
        #expect(record.fields.isEmpty)
        #expect(record.message == #"[broken x="1" message"#)
    }

    @Test("PROCID and MSGID stay when structured data breaks off after a good element")
    func malformedSDAfterAGoodElement() {
        var parser = SyslogParser()
        parser.reservedFieldCapacity = 1
        let record = parser.parse(#"<13>1 2026-11-23T10:00:00Z host app 42 ID7 [a x="1"][b y="2" rest"#)
        #expect(record.fields == ["pid": "42", "msgid": "ID7"])
        #expect(record.message == #"[a x="1"][b y="2" rest"#)
    }

    @Test("structured-data names with invalid UTF-8 are repaired, like every other field")
    func invalidUTF8InSDNames() {
        var parser = SyslogParser()
        let bytes = Array(#"<13>1 2026-11-23T10:00:00Z h app - - [id"#.utf8) + [0xFF] + Array(#" na"#.utf8) + [0xC3]
            + Array(#"="v"] m"#.utf8)
        let record = parser.parse(bytes: bytes)
        #expect(record.fields == ["sd.id\u{FFFD}.na\u{FFFD}": "v"])
        #expect(record.message == "m")
    }

    @Test("`<PRI>1 ` without an RFC 5424 header is read as RFC 3164")
    func notReally5424() {
        var parser = SyslogParser()
        let record = parser.parse("<13>1 apple a day")
        #expect(!record.isRaw)
        #expect(record.message == "1 apple a day")
        #expect(record.time == testReceivedAt)
        #expect(parser.parseRFC5424("<13>1 apple a day") == nil)
    }

    @Test("strict parsing rejects RFC 3164 and accepts RFC 5424 with a trailing newline")
    func strict() {
        var parser = SyslogParser()
        #expect(parser.parseRFC5424("<13>Nov 23 10:00:00 myhost root: hello") == nil)
        #expect(parser.parseRFC5424("plain") == nil)
        let record = parser.parseRFC5424("<13>1 - host app - - - hi\n")
        #expect(record?.message == "hi")
        #expect(record?.host == "host")
    }

    @Test("a message keeps its inner spaces and non-ASCII text")
    func messageText() {
        var parser = SyslogParser()
        let record = parser.parse("<13>1 - h a - - -   two  spaces é 😀")
        #expect(record.message == "  two  spaces é 😀")
    }
}
