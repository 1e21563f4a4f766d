import Foundation
import Testing
import VigilCore
import VigilFormats

@Suite("SyslogParser RFC 3164")
struct SyslogParserRFC3164Tests {
    @Test("the message `logger --rfc3164` sends")
    func loggerRFC3164() {
        var parser = SyslogParser()
        let record = parser.parse("<13>Nov 23 10:00:00 myhost root: hello")
        #expect(!record.isRaw)
        #expect(record.time == nanos("2026-11-23T10:00:00Z"))
        #expect(record.receivedAt == testReceivedAt)
        #expect(record.host == "myhost")
        #expect(record.service == "root")
        #expect(record.facility == .user)
        #expect(record.severity == .notice)
        #expect(record.message == "hello")
        #expect(record.fields.isEmpty)
    }

    @Test("TAG[PID]: with a hostname")
    func tagWithPID() {
        var parser = SyslogParser()
        let record = parser.parse("<38>Nov 23 10:00:00 myhost sshd[1234]: Accepted publickey for root")
        #expect(record.facility == Facility(rawValue: 4))
        #expect(record.severity == .info)
        #expect(record.host == "myhost")
        #expect(record.service == "sshd")
        #expect(record.fields == ["pid": "1234"])
        #expect(record.message == "Accepted publickey for root")
    }

    @Test("no PRI: facility user, severity notice")
    func noPRI() {
        var parser = SyslogParser()
        let record = parser.parse("Nov 23 10:00:00 myhost sshd[42]: session opened")
        #expect(!record.isRaw)
        #expect(record.facility == .user)
        #expect(record.severity == .notice)
        #expect(record.host == "myhost")
        #expect(record.service == "sshd")
        #expect(record.fields["pid"] == "42")
        #expect(record.message == "session opened")
    }

    @Test("configured defaults for messages without a PRI")
    func configuredDefaults() {
        var parser = SyslogParser(defaultFacility: .daemon, defaultSeverity: .info)
        let record = parser.parse("Nov 23 10:00:00 myhost app: x")
        #expect(record.facility == .daemon)
        #expect(record.severity == .info)
    }

    @Test("no hostname: the token after the timestamp is the tag")
    func noHostname() {
        var parser = SyslogParser()
        let withPID = parser.parse("<13>Nov 23 10:00:00 sshd[42]: msg")
        #expect(withPID.host == "")
        #expect(withPID.service == "sshd")
        #expect(withPID.fields == ["pid": "42"])
        #expect(withPID.message == "msg")

        let withoutPID = parser.parse("<13>Nov 23 10:00:00 CRON: job done")
        #expect(withoutPID.host == "")
        #expect(withoutPID.service == "CRON")
        #expect(withoutPID.fields.isEmpty)
        #expect(withoutPID.message == "job done")

        let bracketNoColon = parser.parse("<13>Nov 23 10:00:00 kernel[0] oops")
        #expect(bracketNoColon.service == "kernel")
        #expect(bracketNoColon.fields == ["pid": "0"])
        #expect(bracketNoColon.message == "oops")
    }

    @Test("TAG: without a PID, tags with slashes and dots")
    func tagForms() {
        var parser = SyslogParser()
        let postfix = parser.parse("<22>Nov 23 10:00:00 mx postfix/smtpd[991]: connect from x")
        #expect(postfix.service == "postfix/smtpd")
        #expect(postfix.fields["pid"] == "991")
        #expect(postfix.facility == Facility(rawValue: 2))

        let noPID = parser.parse("<13>Nov 23 10:00:00 host my.app: started")
        #expect(noPID.host == "host")
        #expect(noPID.service == "my.app")
        #expect(noPID.message == "started")

        let emptyPID = parser.parse("<13>Nov 23 10:00:00 host app[]: x")
        #expect(emptyPID.service == "app")
        #expect(emptyPID.fields.isEmpty)
    }

    @Test("a message without any tag")
    func noTag() {
        var parser = SyslogParser()
        let record = parser.parse("<13>Nov 23 10:00:00 myhost just a message: here")
        #expect(record.host == "myhost")
        #expect(record.service == "")
        #expect(record.message == "just a message: here")
    }

    @Test("rsyslog forwarding format with an RFC 3339 timestamp")
    func rsyslogForward() {
        var parser = SyslogParser()
        let record = parser.parse("<13>2026-11-23T10:00:00.123+01:00 host tag[1]: msg")
        #expect(!record.isRaw)
        #expect(record.time == nanos("2026-11-23T09:00:00.123Z"))
        #expect(record.host == "host")
        #expect(record.service == "tag")
        #expect(record.fields == ["pid": "1"])
        #expect(record.message == "msg")

        // RSYSLOG_FileFormat lines in /var/log/syslog carry no PRI.
        let file = parser.parse("2026-11-23T10:00:00.123456+00:00 web1 nginx[7]: GET /")
        #expect(file.time == nanos("2026-11-23T10:00:00.123456Z"))
        #expect(file.host == "web1")
        #expect(file.service == "nginx")
    }

    @Test("trailing newline, CRLF and NUL are stripped", arguments: ["\n", "\r\n", "\0", "\n\0", ""])
    func trailingTerminators(suffix: String) {
        var parser = SyslogParser()
        let record = parser.parse("<13>Nov 23 10:00:00 myhost root: hello" + suffix)
        #expect(record.message == "hello")
        #expect(!record.isRaw)
    }

    @Test("a PRI without a timestamp: receive time, the rest is the message (RFC 3164 §4.3.2)")
    func priWithoutTimestamp() {
        var parser = SyslogParser()
        let plain = parser.parse("<13>hello world")
        #expect(!plain.isRaw)
        #expect(plain.time == testReceivedAt)
        #expect(plain.message == "hello world")
        #expect(plain.host == "")

        let tagged = parser.parse("<11>myapp[9]: disk full")
        #expect(tagged.severity == .err)
        #expect(tagged.service == "myapp")
        #expect(tagged.fields["pid"] == "9")
        #expect(tagged.message == "disk full")
    }

    @Test("a single-digit day padded with a space")
    func paddedDay() {
        var parser = SyslogParser()
        let record = parser.parse("<13>Nov  3 10:00:00 h a: x")
        #expect(record.time == nanos("2026-11-03T10:00:00Z"))
        #expect(record.host == "h")
    }

    @Test("a December message received in January belongs to last year")
    func yearRollover() {
        var parser = SyslogParser()
        let record = parser.parse("<13>Dec 31 23:59:59 h a: x", receivedAt: nanos("2027-01-01T00:00:05Z"))
        #expect(record.time == nanos("2026-12-31T23:59:59Z"))
    }

    @Test("the configured time zone applies to BSD timestamps only")
    func timeZone() {
        var parser = SyslogParser(timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(parser.parse("<13>Nov 23 10:00:00 h a: x").time == nanos("2026-11-23T09:00:00Z"))
        #expect(parser.parse("<13>2026-11-23T10:00:00Z h a: x").time == nanos("2026-11-23T10:00:00Z"))
    }

    @Test("PRI bounds: 0 is kern.emerg, 191 is local7.debug")
    func priBounds() {
        var parser = SyslogParser()
        let low = parser.parse("<0>Nov 23 10:00:00 h k: x")
        #expect(low.facility == .kern)
        #expect(low.severity == .emerg)
        let high = parser.parse("<191>Nov 23 10:00:00 h k: x")
        #expect(high.facility == Facility(rawValue: 23))
        #expect(high.severity == .debug)
    }

    @Test(
        "invalid PRI falls back to a raw record",
        arguments: ["<192>Nov 23 10:00:00 h a: x", "<>x", "<abc>x", "<1234>x", "<13", "<-1>x", "<1 3>x"])
    func invalidPRI(text: String) {
        var parser = SyslogParser()
        let record = parser.parse(text + "\n")
        #expect(record.isRaw)
        #expect(parser.lastParseWasRaw)
        #expect(parser.rawCount == 1)
        #expect(record.message == text)
        #expect(record.time == testReceivedAt)
        #expect(record.severity == .notice)
        #expect(record.facility == nil)
    }

    @Test("no PRI and no timestamp is not syslog: raw")
    func notSyslog() {
        var parser = SyslogParser()
        #expect(parser.parse("hello world").isRaw)
        #expect(parser.parse("").isRaw)
        #expect(parser.parse("\n").message == "")
        #expect(parser.rawCount == 3)
        #expect(!parser.parse("<13>x").isRaw)
        #expect(!parser.lastParseWasRaw)
        #expect(parser.rawCount == 3)
    }

    @Test("invalid UTF-8 in a message is repaired, not dropped")
    func invalidUTF8() {
        var parser = SyslogParser()
        let record = parser.parse(bytes: Array("<13>Nov 23 10:00:00 h a: bad ".utf8) + [0xFF, 0x41])
        #expect(record.message == "bad \u{FFFD}A")
    }
}
