import Foundation
import Testing

@testable import VigilCore

@Suite("TimeExpression")
struct TimeExpressionTests {
    private let now = nanos(2026, 11, 23, 9, 17, 15)
    private let utc = TimeZone(identifier: "UTC")!
    private let berlin = TimeZone(identifier: "Europe/Berlin")!

    private func parse(_ text: String, now: Int64? = nil, zone: TimeZone? = nil) -> Int64? {
        TimeExpression.parse(text, now: now ?? self.now, timeZone: zone ?? utc)
    }

    /// Values out of range are refused, never trapped on: huge epochs and spans, impossible clocks.
    @Test func outOfRangeValuesAreRefused() {
        for text in [
            "@99999999999999999999", "@nan", "@inf", "-999999999999d", "+99999999999999999h", "-1e308s", "9999-12-31",
            "0000-01-01", "1970-01-01 -5:00", "2026-11-23 24:00", "2026-11-23 10:-1", "2026-11-23T99:00:00Z",
            "2026-11-23T09:00:00+99:99", "99999-01-01T00:00:00Z", "-9223372036854775808ns",
        ] {
            #expect(parse(text) == nil, "\(text)")
        }
    }

    @Test func now_() {
        #expect(parse("now") == now)
        #expect(parse(" NOW ") == now)
    }

    @Test func relativeTimes() {
        #expect(parse("-1h") == now - 3_600_000_000_000)
        #expect(parse("-15m") == now - 900_000_000_000)
        #expect(parse("-2d") == now - 2 * 86_400_000_000_000)
        #expect(parse("+30s") == now + 30_000_000_000)
        #expect(parse("-1h30m") == now - 5_400_000_000_000)
        #expect(parse("1h ago") == now - 3_600_000_000_000)
        #expect(parse("-1x") == nil)
        #expect(parse("-") == nil)
    }

    @Test func todayYesterdayTomorrowAreLocalMidnights() {
        #expect(parse("today") == nanos(2026, 11, 23))
        #expect(parse("yesterday") == nanos(2026, 11, 22))
        #expect(parse("tomorrow") == nanos(2026, 11, 24))
        #expect(parse("today", zone: berlin) == nanos(2026, 11, 22, 23))
        #expect(parse("Yesterday", zone: berlin) == nanos(2026, 11, 21, 23))
        // 23:30 UTC is already the next day in Berlin.
        #expect(parse("today", now: nanos(2026, 11, 23, 23, 30), zone: berlin) == nanos(2026, 11, 24, zone: "Europe/Berlin"))
        // Across the switch to summer time (29 March 2026): yesterday's midnight was still CET.
        #expect(parse("yesterday", now: nanos(2026, 3, 30, 10), zone: berlin) == nanos(2026, 3, 28, 23))
        #expect(parse("today", now: nanos(2026, 3, 30, 10), zone: berlin) == nanos(2026, 3, 29, 22))
    }

    @Test func localDatesAndTimes() {
        #expect(parse("2026-11-23 10:00") == nanos(2026, 11, 23, 10))
        #expect(parse("2026-11-23 10:00", zone: berlin) == nanos(2026, 11, 23, 9))
        #expect(parse("2026-11-23T10:00") == nanos(2026, 11, 23, 10))
        #expect(parse("2026-11-23") == nanos(2026, 11, 23))
        #expect(parse("2026-07-01", zone: berlin) == nanos(2026, 6, 30, 22))
        #expect(parse("2026-11-23 10:00:30") == nanos(2026, 11, 23, 10, 0, 30))
        #expect(parse("2026-11-23 10:00:30", zone: berlin) == nanos(2026, 11, 23, 9, 0, 30))
        #expect(parse("2026-11-23T10:00:30", zone: berlin) == nanos(2026, 11, 23, 9, 0, 30))
    }

    @Test func rfc3339WithAnOffsetIgnoresTheLocalZone() {
        #expect(parse("2026-11-23T10:00:00Z", zone: berlin) == nanos(2026, 11, 23, 10))
        #expect(parse("2026-11-23T10:00:00+01:00") == nanos(2026, 11, 23, 9))
        #expect(parse("2026-11-23T10:00:00.5-02:00") == nanos(2026, 11, 23, 12, nanosecond: 500_000_000))
    }

    @Test func epochSeconds() {
        #expect(parse("@1700000000") == 1_700_000_000_000_000_000)
        #expect(parse("@1700000000.5") == 1_700_000_000_500_000_000)
        #expect(parse("@0") == 0)
        // journalctl reads `@` as seconds; these do not fit in nanoseconds.
        #expect(parse("@1700000000123") == nil)
        #expect(parse("@1e300") == nil)
        #expect(parse("@abc") == nil)
    }

    @Test func timesOutsideInt64NanosecondsAreRejected() {
        #expect(parse("9999-12-31") == nil)
        #expect(parse("0001-01-01 00:00") == nil)
        #expect(parse("0001-01-01T00:00:00Z") == nil)
        #expect(parse("+100000d") == nil)
        #expect(parse("-100000d") == now - 100_000 * 86_400_000_000_000)
        #expect(parse("-106000d", now: -1_000_000_000_000_000_000) == nil)
        #expect(parse("106000d ago", now: -1_000_000_000_000_000_000) == nil)
    }

    @Test func invalidExpressions() {
        for text in ["", "garbage", "2026-13-01", "2026-11-23 25:00", "2026-11-23 10", "11/23/2026", "last week"] {
            #expect(parse(text) == nil, "\(text)")
        }
    }

    /// The system zone as the C library reads it is the zone Foundation calls current: the same
    /// offsets every few hours over years (both sides of any DST change), and the same local times.
    @Test func theSystemZoneAgreesWithFoundationsCurrentZone() {
        let current = TimeZone.current
        for step in stride(from: Int64(1_600_000_000), to: 1_950_000_000, by: 7 * 3_600 + 13) {
            #expect(
                ZoneOffsets.system.secondsEastOfUTC(atEpochSeconds: step)
                    == current.secondsFromGMT(for: Date(timeIntervalSince1970: Double(step))), "at \(step)")
        }
        for text in ["2026-03-29 02:30", "2026-10-25 02:30", "2026-11-23 09:00", "today", "yesterday"] {
            #expect(TimeExpression.parse(text, now: now) == TimeExpression.parse(text, now: now, timeZone: current), "\(text)")
        }
        #expect(ZoneOffsets.utc.secondsEastOfUTC(atEpochSeconds: 1_700_000_000) == 0)
        #expect(ZoneOffsets.zone(berlin).secondsEastOfUTC(atEpochSeconds: 1_700_000_000) == 3_600)
    }
}
