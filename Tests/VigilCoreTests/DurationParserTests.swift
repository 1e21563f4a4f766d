import Testing

@testable import VigilCore

@Suite("DurationParser and ByteSizeParser")
struct DurationParserTests {
    private let second: Int64 = 1_000_000_000

    @Test func durations() {
        let cases: [(String, Int64)] = [
            ("90s", 90 * second), ("15m", 900 * second), ("1h", 3600 * second), ("30d", 30 * 86_400 * second),
            ("2w", 14 * 86_400 * second), ("500ms", 500_000_000), ("250us", 250_000), ("1µs", 1_000),
            ("10ns", 10), ("1h30m", 5400 * second), ("1d2h3m4s", 93_784 * second), ("1.5h", 5400 * second),
            ("2min", 120 * second), ("5sec", 5 * second), ("90", 90 * second), ("0.25", 250_000_000),
            ("0s", 0), (" 5s ", 5 * second),
        ]
        for (text, expected) in cases {
            #expect(DurationParser.parse(text) == expected, "\(text)")
        }
    }

    @Test func invalidDurations() {
        for text in ["", " ", "s", "5x", "-5s", "-5", "1h 30m", "h1", "1.2.3s", "5 parsecs", "nan", "inf", "infinity", "1e30"] {
            #expect(DurationParser.parse(text) == nil, "\(text)")
        }
    }

    @Test func durationsTooLargeForNanosecondsAreRejected() {
        // Int64 nanoseconds end after about 292 years.
        #expect(DurationParser.parse("300y") == nil)
        #expect(DurationParser.parse("107000d") == nil)
        #expect(DurationParser.parse("106000d") == 106_000 * 86_400 * second)
        #expect(DurationParser.parse("100000d100000d") == nil)
        #expect(DurationParser.parse("99999999999999999999") == nil)
    }

    @Test func formattingDurations() {
        #expect(DurationParser.format(0) == "0s")
        #expect(DurationParser.format(90 * second) == "1m30s")
        #expect(DurationParser.format(3600 * second) == "1h")
        #expect(DurationParser.format(5400 * second) == "1h30m")
        #expect(DurationParser.format(86_400 * second + second) == "1d1s")
        #expect(DurationParser.format(250_000_000) == "250ms")
        for nanos: Int64 in [second, 60 * second, 93_784 * second, 250_000_000] {
            #expect(DurationParser.parse(DurationParser.format(nanos)) == nanos)
        }
    }

    @Test func byteSizes() {
        let cases: [(String, Int64)] = [
            ("128MiB", 128 << 20), ("1GiB", 1 << 30), ("512KiB", 512 << 10), ("10MB", 10_000_000), ("4096", 4096),
            ("64k", 64 << 10), ("64K", 64 << 10), ("1.5GiB", 3 << 29), ("2TiB", 2 << 40), ("1TB", 1_000_000_000_000),
            ("3kb", 3000), ("7b", 7), ("10 MiB", 10 << 20), ("1g", 1 << 30), ("2m", 2 << 20), ("0", 0),
        ]
        for (text, expected) in cases {
            #expect(ByteSizeParser.parse(text) == expected, "\(text)")
        }
    }

    @Test func invalidByteSizes() {
        for text in ["", "MiB", "-1", "-1MiB", "12XB", "1e3", "1 2", "100000000TiB", "99999999999999999999"] {
            #expect(ByteSizeParser.parse(text) == nil, "\(text)")
        }
    }

    @Test func formattingByteSizes() {
        #expect(ByteSizeParser.format(100) == "100 B")
        #expect(ByteSizeParser.format(1536) == "1.5 KiB")
        #expect(ByteSizeParser.format(128 << 20) == "128.0 MiB")
        #expect(ByteSizeParser.format(3 << 29) == "1.5 GiB")
    }
}
