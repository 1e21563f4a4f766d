import Testing
import VigilCore
import VigilIngest

@Suite struct JournalEntryDecoderTests {
    func decode(_ fields: [String], realtime: UInt64?) -> (LogRecord, Int) {
        var decoder = JournalEntryDecoder(fieldAllowList: ["_PID"])
        for field in fields { Array(field.utf8).withUnsafeBytes { decoder.add($0) } }
        return (decoder.record(realtime: realtime, receivedAt: 42), decoder.size)
    }

    @Test func fieldsMapOntoTheRecord() {
        let fields = ["MESSAGE=hello=world", "PRIORITY=3", "SYSLOG_FACILITY=4", "_COMM=app", "_SYSTEMD_UNIT=app.service", "_PID=7", "_UID=0", "junk"]
        let (record, size) = decode(fields, realtime: 1_763_892_000_000_000)
        #expect(record.message == "hello=world")
        #expect(record.severity == .err && record.facility?.rawValue == 4)
        #expect(record.service == "app.service")
        #expect(record.fields["_PID"] == "7" && record.fields["_UID"] == nil)
        #expect(record.time == 1_763_892_000_000_000_000)
        #expect(size == fields.map(\.utf8.count).reduce(0, +))
    }

    /// A timestamp beyond what nanoseconds hold (a crafted journal file) used to trap; now the
    /// record is stamped when it was received.
    @Test func anOutOfRangeTimestampFallsBackToTheReceiveTime() {
        for realtime: UInt64 in [UInt64.max, UInt64(Int64.max), UInt64(Int64.max / 1000) + 1] {
            #expect(decode(["MESSAGE=x"], realtime: realtime).0.time == 42)
        }
        #expect(decode(["MESSAGE=x", "PRIORITY=99", "SYSLOG_FACILITY=-1"], realtime: nil).0.severity == .info)
    }
}
