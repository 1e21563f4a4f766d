import Testing
import VigilCore
@testable import VigilDetect

/// `max_ahead`: the engine's rule for records stamped ahead of the host's clock, which the daemon
/// and `vigil replay` share.
@Suite struct DetectionEngineClockTests {
    let second: Int64 = 1_000_000_000

    @Test func recordsBeyondMaxAheadAreLeftOutAndCounted() {
        var configuration = DetectionConfiguration()
        configuration.maxAhead = 600 * second
        let engine = DetectionEngine(configuration: configuration)
        let now: Int64 = 1_800_000_000 * second
        let records = [
            LogRecord(time: now - second, service: "a", message: "past"),
            LogRecord(time: now + 599 * second, service: "a", message: "within"),
            LogRecord(time: now + 601 * second, service: "b", message: "ahead"),
            LogRecord(time: now + 86_400 * second, service: "c", message: "far ahead"),
        ]
        let (kept, leftOut, first) = engine.withinClock(records, now: now)
        #expect(kept.map(\.message) == ["past", "within"])
        #expect(leftOut == 2 && first?.message == "ahead")
        let none = engine.withinClock(Array(records.prefix(2)), now: now)
        #expect(none.records.count == 2 && none.leftOut == 0 && none.firstAhead == nil)
    }
}
