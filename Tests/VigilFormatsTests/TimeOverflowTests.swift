import Testing
import VigilCore
import VigilFormats

/// Times that do not fit in Int64 nanoseconds must not crash (VigilCore checks its arithmetic for
/// them); they count as "no time" and the receive time is used.
@Suite("Unrepresentable times")
struct TimeOverflowTests {
    @Test("RFC 5424 timestamps outside 1678–2261 make the header not RFC 5424", arguments: [
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1677-01-01T00:00:00Z", "2262-12-31T00:00:00Z",
    ])
    func syslog5424(timestamp: String) {
        var parser = SyslogParser()
        let record = parser.parse("<13>1 \(timestamp) h app - - - msg")
        #expect(record.time == testReceivedAt)
        #expect(parser.parseRFC5424("<13>1 \(timestamp) h app - - - msg") == nil)
    }

    @Test("rsyslog-style and BSD-with-year timestamps far out of range are not timestamps")
    func syslog3164() {
        var parser = SyslogParser()
        let rsyslog = parser.parse("<13>9999-12-31T23:59:59Z host app: x")
        #expect(rsyslog.time == testReceivedAt)
        #expect(rsyslog.message == "9999-12-31T23:59:59Z host app: x")
        let bsd = parser.parse("<13>Nov 23 9999 10:00:00 host app: x")
        #expect(bsd.time == testReceivedAt)
        #expect(parser.parse("<13>Nov 23 2026 10:00:00 host app: x").time == nanos("2026-11-23T10:00:00Z"))
    }

    @Test("JSON times out of range stay fields", arguments: [
        #"{"time":"0001-01-01T00:00:00Z"}"#, #"{"time":"9999-12-31T23:59:59.999Z"}"#, #"{"ts":99999999999999}"#,
        #"{"ts":9999999999999999}"#, #"{"ts":"9300000000000"}"#, #"{"ts":1e300}"#, #"{"ts":-99999999999999}"#,
    ])
    func json(text: String) throws {
        let record = try JSONRecordDecoder().decode(text)
        #expect(record.time == testReceivedAt)
        #expect(record.fields.count == 1)
    }

    @Test("the edges of the representable range still parse")
    func edges() throws {
        let decoder = JSONRecordDecoder()
        #expect(try decoder.decode(#"{"time":"2261-12-31T23:59:59Z"}"#).time == nanos("2261-12-31T23:59:59Z"))
        #expect(try decoder.decode(#"{"time":"1678-01-01T00:00:00Z"}"#).time == nanos("1678-01-01T00:00:00Z"))
        #expect(try decoder.decode(#"{"ts":9200000000000}"#).time == 9_200_000_000_000_000_000)
    }
}
