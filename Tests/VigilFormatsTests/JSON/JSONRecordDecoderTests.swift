import Testing
import VigilCore
import VigilFormats

@Suite("JSONRecordDecoder")
struct JSONRecordDecoderTests {
    let decoder = JSONRecordDecoder()

    @Test("well-known keys become attributes; the rest stays in fields")
    func mapping() throws {
        let record = try decoder.decode(
            #"{"time":"2026-11-23T10:00:00.5Z","level":"error","msg":"boom","service":"api","host":"web1","user":{"id":7},"tags":["a"]}"#
        )
        #expect(record.time == nanos("2026-11-23T10:00:00.5Z"))
        #expect(record.receivedAt == testReceivedAt)
        #expect(record.severity == .err)
        #expect(record.message == "boom")
        #expect(record.service == "api")
        #expect(record.host == "web1")
        #expect(record.facility == nil)
        #expect(!record.isRaw)
        #expect(record.fields == ["user.id": "7", "tags": #"["a"]"#])
    }

    @Test(
        "time keys and epoch units",
        arguments: [
            (#"{"time":"2026-11-23T10:00:00+01:00"}"#, nanos("2026-11-23T09:00:00Z")),
            (#"{"timestamp":"2026-11-23 10:00:00.25"}"#, nanos("2026-11-23T10:00:00.25Z")),
            (#"{"@timestamp":"2026-11-23T10:00:00.123456789Z"}"#, nanos("2026-11-23T10:00:00.123456789Z")),
            (#"{"ts":1700000000}"#, 1_700_000_000_000_000_000),
            (#"{"ts":1700000000.5}"#, 1_700_000_000_500_000_000),
            (#"{"ts":"1700000000"}"#, 1_700_000_000_000_000_000),
            (#"{"ts":1700000000123}"#, 1_700_000_000_123_000_000),
            (#"{"ts":1700000000123456}"#, 1_700_000_000_123_456_000),
            (#"{"ts":1700000000123456789}"#, 1_700_000_000_123_456_789),
            (#"{"time":"2026-11-23T10:00:00Z","ts":1}"#, nanos("2026-11-23T10:00:00Z")),
        ] as [(String, Int64)])
    func times(text: String, expected: Int64) throws {
        let record = try decoder.decode(text)
        #expect(record.time == expected)
        #expect(record.receivedAt == testReceivedAt)
    }

    @Test("a time that cannot be parsed keeps the receive time and stays a field")
    func badTime() throws {
        let record = try decoder.decode(#"{"time":"yesterday","message":"x"}"#)
        #expect(record.time == testReceivedAt)
        #expect(record.fields == ["time": "yesterday"])
        let partial = try decoder.decode(#"{"time":"2026-11-23T10:00:00Z and more"}"#)
        #expect(partial.time == testReceivedAt)
        #expect(partial.fields["time"] == "2026-11-23T10:00:00Z and more")
        let fallback = try decoder.decode(#"{"time":"soon","ts":1700000000}"#)
        #expect(fallback.time == 1_700_000_000_000_000_000)
        #expect(fallback.fields == ["time": "soon"])
    }

    @Test("missing time, message and level")
    func missing() throws {
        let record = try decoder.decode(#"{"other":"x"}"#)
        #expect(record.time == testReceivedAt)
        #expect(record.message == "")
        #expect(record.severity == .info)
        #expect(record.service == "")
        #expect(record.host == "")
        #expect(record.fields == ["other": "x"])
    }

    @Test(
        "level names, syslog numbers and pino numbers",
        arguments: [
            (#"{"level":"WARN"}"#, Severity.warning), (#"{"level":"Info"}"#, .info), (#"{"level":"error"}"#, .err),
            (#"{"level":"fatal"}"#, .crit), (#"{"level":"trace"}"#, .debug), (#"{"level":3}"#, .err),
            (#"{"level":"0"}"#, .emerg), (#"{"severity":"critical"}"#, .crit), (#"{"lvl":"debug"}"#, .debug),
            (#"{"level":50}"#, .err), (#"{"level":30}"#, .info), (#"{"level":40}"#, .warning), (#"{"level":60}"#, .crit),
        ])
    func levels(text: String, expected: Severity) throws {
        let record = try decoder.decode(text)
        #expect(record.severity == expected)
        #expect(record.fields.isEmpty)
    }

    @Test("an unknown level is info and stays a field")
    func unknownLevel() throws {
        let record = try decoder.decode(#"{"level":"weird","msg":"m"}"#)
        #expect(record.severity == .info)
        #expect(record.fields == ["level": "weird"])
    }

    @Test("key precedence: message over msg over log, host over hostname")
    func precedence() throws {
        let record = try decoder.decode(#"{"log":"c","msg":"b","message":"a","hostname":"h2","host":"h1"}"#)
        #expect(record.message == "a")
        #expect(record.host == "h1")
        #expect(record.fields == ["msg": "b", "log": "c", "hostname": "h2"])
        #expect(try decoder.decode(#"{"hostname":"h2","log":"l"}"#).host == "h2")
        #expect(try decoder.decode(#"{"log":"l"}"#).message == "l")
    }

    @Test("nested keys are not attributes")
    func nested() throws {
        let record = try decoder.decode(#"{"service":{"name":"x"},"message":{"text":"y"}}"#)
        #expect(record.service == "")
        #expect(record.message == "")
        #expect(record.fields == ["service.name": "x", "message.text": "y"])
    }

    @Test("record(from:) maps a flattened object")
    func fromObject() {
        let record = decoder.record(from: ["msg": "hi", "level": "notice", "k": "v"], receivedAt: 42)
        #expect(record.time == 42)
        #expect(record.severity == .notice)
        #expect(record.message == "hi")
        #expect(record.fields == ["k": "v"])
    }

    @Test("invalid JSON throws")
    func invalid() {
        #expect(throws: JSONParseError.unexpectedEnd(offset: 7)) { try decoder.decode(#"{"a":1,"#) }
    }
}
