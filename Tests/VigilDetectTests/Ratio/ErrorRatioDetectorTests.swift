import Testing
import VigilCore
import VigilTestSupport

@testable import VigilDetect

@Suite("Error-ratio detector")
struct ErrorRatioDetectorTests {
    /// One minute per element: 100 records, `errors[i]` of them at `err`.
    func stream(_ errors: [Int], service: String = "api") -> [LogRecord] {
        var records: [LogRecord] = []
        for (minute, errorCount) in errors.enumerated() {
            for index in 0..<100 {
                let time = Double(minute) * 60 + Double(index) * 0.6
                let isError = index < errorCount
                records.append(
                    record(time, service: service, severity: isError ? .err : .info, message: isError ? "failed" : "ok"))
            }
        }
        return records
    }

    @Test func shareRiseFiresAndResolves() throws {
        let errors = Array(repeating: 2, count: 20) + [30, 25, 2, 2]
        let signals = run(.detectorOnly(.errorRatio), stream(errors))
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(signals.allSatisfy { $0.name == "error_ratio" && $0.detector == .errorRatio })
        let firing = signals[0]
        #expect(firing.start == 1200 * second)
        #expect(firing.count == 30)
        #expect(firing.evidence.count == 5)
        #expect(firing.evidence.allSatisfy { $0.severity == .err })
        #expect(firing.title.hasPrefix("api: 30.0% of records are errors (30 of 100 in 1m)"))
        let why = try #require(firing.explanation)
        #expect(why.measure == "error share per 1m")
        #expect(why.observed == 0.3)
        #expect(why.upper >= why.expected + 0.05, "a share must also be min_increase above the expectation")
        #expect(why.upper < 0.3 && why.lower >= 0)
        #expect(signals[1].count == 30 + 25 + 2)
    }

    @Test func smallChangesAndWarmUpDoNotFire() {
        #expect(run(.detectorOnly(.errorRatio), stream(Array(repeating: 2, count: 20) + [4, 2, 2])).isEmpty)
        #expect(run(.detectorOnly(.errorRatio), stream(Array(repeating: 2, count: 5) + [50, 2, 2])).isEmpty)
    }

    @Test func aNoisyShareDoesNotFireButAJumpDoes() throws {
        // Three hours of 100 records a minute, each an error with probability 5 %, then a quarter
        // of them for two minutes.
        var generator = SplitMix(seed: 3)
        var errors = (0..<180).map { _ in (0..<100).filter { _ in generator.next() % 100 < 5 }.count }
        #expect(run(.detectorOnly(.errorRatio), stream(errors)).isEmpty)
        errors += [25, 25, 5, 5]
        let signals = run(.detectorOnly(.errorRatio), stream(errors))
        #expect(signals.map(\.status) == [.firing, .resolved])
        #expect(signals.first?.start == 180 * 60 * second)
        let why = try #require(signals.first?.explanation)
        #expect(why.parameters.contains(GroupValue(name: "open_threshold", value: "0.6")))
        #expect(why.parameters.contains { $0.name == "novelty" } && why.parameters.contains { $0.name == "z" })
    }
}
