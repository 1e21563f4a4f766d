import Foundation
import Testing
import VigilCore
import VigilFormats

@Suite("LineDecoder")
struct LineDecoderTests {
    @Test("auto decides per line")
    func autoDetection() {
        var decoder = LineDecoder()
        let lines = [
            #"{"time":"2026-11-23T10:00:00Z","level":"warn","msg":"json line","service":"api"}"#,
            #"  {"msg":"indented json"}"#,
            "<13>1 2026-11-23T10:00:01Z host5424 app5424 77 - - rfc5424 line",
            "<13>Nov 23 10:00:02 host3164 sshd[42]: rfc3164 line",
            "Nov 23 10:00:03 filehost cron[1]: /var/log/syslog line",
            "2026-11-23T10:00:04.5+00:00 rshost rsapp: rsyslog file line",
            "<13>Nov 23 10:00:05 nohostapp: hostless",
            "just some text",
            #"{"broken": "#,
            "",
        ]
        let records = lines.map { decoder.decode($0 + "\n") }

        #expect(records[0].message == "json line")
        #expect(records[0].severity == .warning)
        #expect(records[0].service == "api")
        #expect(records[0].time == nanos("2026-11-23T10:00:00Z"))
        #expect(records[1].message == "indented json")
        #expect(records[1].severity == .info)

        #expect(records[2].host == "host5424")
        #expect(records[2].service == "app5424")
        #expect(records[2].fields["pid"] == "77")
        #expect(records[2].message == "rfc5424 line")

        #expect(records[3].host == "host3164")
        #expect(records[3].service == "sshd")
        #expect(records[3].time == nanos("2026-11-23T10:00:02Z"))

        #expect(records[4].host == "filehost")
        #expect(records[4].service == "cron")
        #expect(records[4].message == "/var/log/syslog line")

        #expect(records[5].time == nanos("2026-11-23T10:00:04.5Z"))
        #expect(records[5].service == "rsapp")

        #expect(records[6].host == "")
        #expect(records[6].service == "nohostapp")

        #expect(records.map(\.isRaw) == [false, false, false, false, false, false, false, true, true, true])
        #expect(records[7].message == "just some text")
        #expect(records[7].time == testReceivedAt)
        #expect(records[8].message == #"{"broken": "#)
        #expect(decoder.rawCount == 3)
        #expect(decoder.lastLineWasRaw)
    }

    @Test("json format: non-JSON and non-object lines are raw")
    func jsonFormat() {
        var decoder = LineDecoder(format: .json)
        #expect(decoder.decode(#"{"msg":"ok"}"#).message == "ok")
        #expect(!decoder.lastLineWasRaw)
        let text = decoder.decode("<13>Nov 23 10:00:00 h a: syslog is not json")
        #expect(text.isRaw)
        #expect(text.message == "<13>Nov 23 10:00:00 h a: syslog is not json")
        #expect(decoder.decode("[1,2]").isRaw)
        #expect(decoder.rawCount == 2)
    }

    @Test("syslog format reads both RFCs; rfc5424 format only RFC 5424")
    func syslogFormats() {
        var syslog = LineDecoder(format: .syslog)
        #expect(syslog.decode("<13>1 - h a - - - five").message == "five")
        #expect(syslog.decode("<13>Nov 23 10:00:00 h a: three").message == "three")
        #expect(syslog.decode(#"{"msg":"x"}"#).isRaw)

        var strict = LineDecoder(format: .rfc5424)
        #expect(strict.decode("<13>1 - h a - - - five").message == "five")
        let bsd = strict.decode("<13>Nov 23 10:00:00 h a: three")
        #expect(bsd.isRaw)
        #expect(bsd.message == "<13>Nov 23 10:00:00 h a: three")
        #expect(strict.rawCount == 1)
    }

    @Test("raw format keeps every line as it is, without counting fallbacks")
    func rawFormat() {
        var decoder = LineDecoder(format: .raw)
        let record = decoder.decode("<13>Nov 23 10:00:00 h a: x\r\n")
        #expect(record.isRaw)
        #expect(record.message == "<13>Nov 23 10:00:00 h a: x")
        #expect(record.time == testReceivedAt)
        #expect(decoder.lastLineWasRaw)
        #expect(decoder.rawCount == 0)
    }

    @Test("service and host overrides replace what the line carried, raw lines included")
    func overrides() {
        var decoder = LineDecoder(service: "nginx", host: "web1")
        let json = decoder.decode(#"{"msg":"m","service":"other","host":"h"}"#)
        #expect(json.service == "nginx")
        #expect(json.host == "web1")
        let bsd = decoder.decode("<13>Nov 23 10:00:00 h a: x")
        #expect(bsd.service == "nginx")
        #expect(bsd.host == "web1")
        let raw = decoder.decode("GET / 200")
        #expect(raw.isRaw)
        #expect(raw.service == "nginx")
        #expect(raw.host == "web1")
    }

    @Test("the time zone reaches RFC 3164 timestamps")
    func timeZone() {
        var decoder = LineDecoder(format: .syslog, timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(decoder.decode("Nov 23 10:00:00 h a: x").time == nanos("2026-11-23T15:00:00Z"))
    }

    @Test("format names and aliases")
    func formatNames() {
        #expect(LineFormat(parsing: "AUTO") == .auto)
        #expect(LineFormat(parsing: "rfc3164") == .syslog)
        #expect(LineFormat(parsing: "5424") == .rfc5424)
        #expect(LineFormat(parsing: "ndjson") == .json)
        #expect(LineFormat(parsing: "text") == .raw)
        #expect(LineFormat(parsing: "xml") == nil)
        #expect(LineFormat.allCases.map(\.description) == ["auto", "syslog", "rfc5424", "json", "raw"])
    }
}
