import Foundation
import Testing

@testable import VigilCore

@Suite("BSDTimestampParser")
struct BSDTimestampParserTests {
    private func parse(
        _ text: String, reference: Int64, zone: String = "UTC"
    ) -> (nanos: Int64, length: Int)? {
        var parser = BSDTimestampParser(timeZone: TimeZone(identifier: zone)!)
        return Array(text.utf8).withUnsafeBufferPointer { parser.parse($0, reference: reference) }
    }

    @Test func sameYearAsTheReceiveTime() {
        let result = parse("Nov 23 09:17:15 host app: hi", reference: nanos(2026, 11, 23, 10))
        #expect(result?.nanos == nanos(2026, 11, 23, 9, 17, 15))
        #expect(result?.length == 15)
    }

    @Test func spaceAndZeroPaddedDays() {
        #expect(parse("Mar  5 01:02:03", reference: nanos(2026, 3, 5, 2))?.nanos == nanos(2026, 3, 5, 1, 2, 3))
        #expect(parse("Mar 05 01:02:03", reference: nanos(2026, 3, 5, 2))?.nanos == nanos(2026, 3, 5, 1, 2, 3))
        #expect(parse("mar 05 01:02:03", reference: nanos(2026, 3, 5, 2))?.nanos == nanos(2026, 3, 5, 1, 2, 3))
    }

    @Test func decemberReceivedInJanuaryBelongsToThePreviousYear() {
        let result = parse("Dec 31 23:59:59 host app: late", reference: nanos(2027, 1, 1, 0, 0, 10))
        #expect(result?.nanos == nanos(2026, 12, 31, 23, 59, 59))
    }

    @Test func januaryReceivedInDecemberBelongsToTheNextYear() {
        let result = parse("Jan  1 00:00:01 host app: early", reference: nanos(2026, 12, 31, 23, 59, 50))
        #expect(result?.nanos == nanos(2027, 1, 1, 0, 0, 1))
    }

    @Test func configuredZone() {
        // Winter (CET, +01:00) and summer (CEST, +02:00).
        #expect(
            parse("Jan 15 12:00:00", reference: nanos(2026, 1, 15, 12), zone: "Europe/Berlin")?.nanos
                == nanos(2026, 1, 15, 11))
        #expect(
            parse("Jul 15 12:00:00", reference: nanos(2026, 7, 15, 12), zone: "Europe/Berlin")?.nanos
                == nanos(2026, 7, 15, 10))
        #expect(
            parse("Jul 15 12:00:00", reference: nanos(2026, 7, 15, 12), zone: "Europe/Berlin")?.nanos
                == nanos(2026, 7, 15, 12, zone: "Europe/Berlin"))
    }

    @Test func yearRolloverInTheConfiguredZone() {
        // 23:35 UTC on 31 December is already 00:35 on 1 January 2027 in Berlin.
        let reference = nanos(2026, 12, 31, 23, 35)
        #expect(
            parse("Jan  1 00:30:00", reference: reference, zone: "Europe/Berlin")?.nanos
                == nanos(2027, 1, 1, 0, 30, zone: "Europe/Berlin"))
        #expect(
            parse("Dec 31 23:59:00", reference: reference, zone: "Europe/Berlin")?.nanos
                == nanos(2026, 12, 31, 23, 59, zone: "Europe/Berlin"))
        #expect(
            parse("Dec 31 23:59:00", reference: reference, zone: "Europe/Berlin")?.nanos == nanos(2026, 12, 31, 22, 59))
    }

    @Test func fractionsAndExplicitYears() {
        let fraction = parse("Nov 23 09:17:15.123456 host", reference: nanos(2026, 11, 23, 10))
        #expect(fraction?.nanos == nanos(2026, 11, 23, 9, 17, 15, nanosecond: 123_456_000))
        #expect(fraction?.length == 22)
        let year = parse("Nov 23 2024 09:17:15 host", reference: nanos(2026, 11, 23, 10))
        #expect(year?.nanos == nanos(2024, 11, 23, 9, 17, 15))
        #expect(year?.length == 20)
        // A dot not followed by digits is not part of the timestamp.
        #expect(parse("Nov 23 09:17:15. x", reference: nanos(2026, 11, 23, 10))?.length == 15)
    }

    @Test func explicitYearsOutsideInt64NanosecondsAreRejected() {
        let reference = nanos(2026, 11, 23, 10)
        #expect(parse("Nov 23 9999 09:17:15 host", reference: reference) == nil)
        #expect(parse("Jan  1 0001 00:00:00 host", reference: reference) == nil)
        #expect(parse("Apr 11 2262 23:00:00 host", reference: reference)?.nanos == nanos(2262, 4, 11, 23))
    }

    @Test func invalidTimestamps() {
        let reference = nanos(2026, 11, 23, 10)
        for text in [
            "", "Nov 23 09:17", "Foo 23 09:17:15", "Nov 32 09:17:15", "Nov 00 09:17:15", "Nov 23 24:00:00",
            "Nov 23 09:60:00", "Nov 23 09:17:61", "Nov-23 09:17:15", "Nov 23 09-17-15", "2026-11-23T09:17:15Z",
        ] {
            #expect(parse(text, reference: reference) == nil, "\(text)")
        }
    }
}
