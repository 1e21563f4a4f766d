import Testing

@testable import VigilCore

@Suite("TimestampParser")
struct TimestampParserTests {
    @Test func rfc3339InUTC() {
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15Z") == 1_795_425_435_000_000_000)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15Z") == nanos(2026, 11, 23, 9, 17, 15))
        #expect(TimestampParser.parseRFC3339("2026-11-23t09:17:15z") == nanos(2026, 11, 23, 9, 17, 15))
        #expect(TimestampParser.parseRFC3339("2026-11-23 09:17:15Z") == nanos(2026, 11, 23, 9, 17, 15))
        #expect(TimestampParser.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(TimestampParser.parseRFC3339("1969-12-31T23:59:59Z") == -1_000_000_000)
        #expect(TimestampParser.parseRFC3339("2024-02-29T12:00:00Z") == nanos(2024, 2, 29, 12))
    }

    @Test func fractions() {
        let base = nanos(2026, 11, 23, 9, 17, 15)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15.1Z") == base + 100_000_000)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15.123Z") == base + 123_000_000)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15.123456Z") == base + 123_456_000)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15.123456789Z") == base + 123_456_789)
        // Digits past nanoseconds are dropped, not rounded.
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15.123456789999Z") == base + 123_456_789)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15,5Z") == base + 500_000_000)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15.Z") == nil)
    }

    @Test func offsets() {
        let utc = nanos(2026, 11, 23, 9, 17, 15)
        #expect(TimestampParser.parseRFC3339("2026-11-23T10:17:15+01:00") == utc)
        #expect(TimestampParser.parseRFC3339("2026-11-23T10:17:15+0100") == utc)
        #expect(TimestampParser.parseRFC3339("2026-11-23T10:17:15+01") == utc)
        #expect(TimestampParser.parseRFC3339("2026-11-23T03:47:15-05:30") == utc)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15+00:00") == utc)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15-00:00") == utc)
        #expect(TimestampParser.parseRFC3339("2026-11-23T18:17:15.250+09:00") == utc + 250_000_000)
        #expect(TimestampParser.parseRFC3339("2026-11-24T00:17:15+15:00") == utc)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15+24:00") == nil)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15+01:60") == nil)
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15+1") == nil)
    }

    @Test func missingOffsetUsesTheDefault() {
        #expect(TimestampParser.parseRFC3339("2026-11-23T09:17:15") == nanos(2026, 11, 23, 9, 17, 15))
        #expect(
            TimestampParser.parseRFC3339("2026-11-23T10:17:15", defaultOffsetSeconds: 3600)
                == nanos(2026, 11, 23, 9, 17, 15))
        #expect(
            TimestampParser.parseRFC3339("2026-11-23T10:17:15Z", defaultOffsetSeconds: 3600)
                == nanos(2026, 11, 23, 10, 17, 15))
    }

    @Test func leapSecondIsClampedToTheLastSecondOfTheMinute() {
        #expect(TimestampParser.parseRFC3339("2016-12-31T23:59:60Z") == nanos(2016, 12, 31, 23, 59, 59))
    }

    @Test func timesOutsideInt64NanosecondsAreRejectedNotTrapped() {
        // Go's zero time and "end of time" sentinels appear in real logs.
        #expect(TimestampParser.parseRFC3339("0001-01-01T00:00:00Z") == nil)
        #expect(TimestampParser.parseRFC3339("9999-12-31T23:59:59Z") == nil)
        #expect(TimestampParser.parseRFC3339("2262-04-11T23:47:17Z") == nil)
        #expect(TimestampParser.parseRFC3339("1677-09-21T00:12:43Z") == nil)
        #expect(TimestampParser.parseRFC3339("2262-04-11T23:47:16.854775807Z") == .max)
        #expect(TimestampParser.parseRFC3339("1677-09-21T00:12:43.145224192Z") == .min)
        #expect(TimestampParser.parseRFC3339("2262-04-12T00:47:16+01:00") == 9_223_372_036_000_000_000)
        #expect(TimestampParser.parseRFC3339("2262-04-11T23:00:00", defaultOffsetSeconds: -7200) == nil)
        #expect(TimestampParser.parseAny("0001-01-01T00:00:00Z") == nil)
    }

    @Test func invalidTimestamps() {
        for text in [
            "", "2026-11-23", "2026-11-23T09:17", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
            "2026-11-32T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T09:60:00Z", "2026-11-23T09:17:61Z",
            "2026/11/23T09:17:15Z", "2026-11-23X09:17:15Z", "20a6-11-23T09:17:15Z", "Nov 23 09:17:15",
        ] {
            #expect(TimestampParser.parseRFC3339(text) == nil, "\(text)")
        }
    }

    @Test func byteLevelParserReportsTheLengthConsumed() {
        let text = Array("2026-11-23T09:17:15.5+01:00 host app: message".utf8)
        let result = text.withUnsafeBufferPointer { TimestampParser.parseRFC3339($0) }
        #expect(result?.nanos == nanos(2026, 11, 23, 8, 17, 15, nanosecond: 500_000_000))
        #expect(result?.length == 27)
        let bare = Array("2026-11-23T09:17:15 host".utf8)
        #expect(bare.withUnsafeBufferPointer { TimestampParser.parseRFC3339($0) }?.length == 19)
    }

    @Test func epochUnitsAreGuessedFromMagnitude() {
        let expected: Int64 = 1_700_000_000_000_000_000
        #expect(TimestampParser.fromEpoch(Int64(1_700_000_000)) == expected)
        #expect(TimestampParser.fromEpoch(Int64(1_700_000_000_123)) == expected + 123_000_000)
        #expect(TimestampParser.fromEpoch(Int64(1_700_000_000_123_456)) == expected + 123_456_000)
        #expect(TimestampParser.fromEpoch(Int64(1_700_000_000_123_456_789)) == expected + 123_456_789)
        #expect(TimestampParser.fromEpoch(Int64(0)) == 0)
        #expect(TimestampParser.fromEpoch(Int64(-86_400)) == -86_400_000_000_000)

        #expect(TimestampParser.fromEpoch(1_700_000_000.25) == expected + 250_000_000)
        #expect(TimestampParser.fromEpoch(1_700_000_000_123.0) == expected + 123_000_000)
        #expect(TimestampParser.fromEpoch(Double.nan) == nil)
        #expect(TimestampParser.fromEpoch(Double.infinity) == nil)
    }

    @Test func epochValuesThatDoNotFitAreRejectedNotWrappedOrTrapped() {
        // 10^11 - 1 seconds, 10^14 - 1 milliseconds and 10^17 - 1 microseconds are all past year 2262,
        // the last nanosecond an Int64 holds.
        #expect(TimestampParser.fromEpoch(Int64(99_999_999_999)) == nil)
        #expect(TimestampParser.fromEpoch(Int64(99_999_999_999_999)) == nil)
        #expect(TimestampParser.fromEpoch(Int64(99_999_999_999_999_999)) == nil)
        #expect(TimestampParser.fromEpoch(Int64(-99_999_999_999)) == nil)
        #expect(TimestampParser.fromEpoch(Int64.max) == .max)
        #expect(TimestampParser.fromEpoch(Int64(9_000_000_000)) == 9_000_000_000_000_000_000)
        #expect(TimestampParser.parseEpoch("99999999999999") == nil)
        #expect(TimestampParser.fromEpoch(99_999_999_999.0) == nil)
    }

    @Test func epochText() {
        let expected: Int64 = 1_700_000_000_000_000_000
        #expect(TimestampParser.parseEpoch("1700000000") == expected)
        #expect(TimestampParser.parseEpoch("1700000000.5") == expected + 500_000_000)
        #expect(TimestampParser.parseEpoch("1700000000123") == expected + 123_000_000)
        #expect(TimestampParser.parseEpoch("1700000000123456") == expected + 123_456_000)
        #expect(TimestampParser.parseEpoch("1700000000123456789") == expected + 123_456_789)
        #expect(TimestampParser.parseEpoch("abc") == nil)
        #expect(TimestampParser.parseEpoch("") == nil)
    }

    @Test func parseAnyTriesRFC3339ThenEpoch() {
        #expect(TimestampParser.parseAny("2023-11-14T22:13:20Z") == 1_700_000_000_000_000_000)
        #expect(TimestampParser.parseAny("1700000000") == 1_700_000_000_000_000_000)
        #expect(TimestampParser.parseAny("yesterday") == nil)
    }
}
