import Testing
import VigilCore

@testable import VigilDetect

@Suite("New-template detector")
struct NewTemplateDetectorTests {
    var configuration: DetectionConfiguration {
        var configuration = DetectionConfiguration.detectorOnly(.newTemplate)
        configuration.newTemplate.warmUp = 600 * second
        configuration.newTemplate.window = 60 * second
        configuration.newTemplate.burstCount = 5
        configuration.newTemplate.rareCount = 3
        configuration.newTemplate.burstWindow = 60 * second
        return configuration
    }

    /// Known traffic every second from 0 to `seconds`.
    func known(_ seconds: Int) -> [LogRecord] {
        (0..<seconds).map { record(Double($0), severity: .info, message: "GET /x \($0 % 7 == 0 ? 500 : 200) in \($0)ms") }
    }

    @Test func newTemplateFiresAfterWarmUpOnItsThirdOccurrence() {
        var records = known(700)
        records += [701, 710, 720, 730].map { record(Double($0) + 0.5, service: "pay", severity: .warning, message: "ledger lock held by txn \(Int($0))") }
        records.sort { $0.time < $1.time }
        let signals = run(configuration, records)
        #expect(signals.count == 1)
        let signal = signals[0]
        #expect(signal.name == "new_template")
        #expect(signal.detector == .newTemplate)
        #expect(signal.count == 3)
        #expect(signal.start == 701 * second + second / 2)
        #expect(signal.end == 720 * second + second / 2)
        #expect(signal.title == "new log template in pay: ledger lock held by txn <NUM>")
        #expect(signal.evidence.count == 3)
        #expect(signal.key.first?.name == "template")
    }

    @Test func templatesDuringWarmUpOrTooSparseDoNotFire() {
        // New during warm-up.
        var records = known(700)
        records += [100, 101, 102].map { record(Double($0) + 0.5, message: "early bird \(Int($0))") }
        // After warm-up but spread over more than the window.
        records += [701, 800, 900].map { record(Double($0) + 0.5, message: "slow drip \(Int($0))") }
        records.sort { $0.time < $1.time }
        #expect(run(configuration, records).isEmpty)
    }

    @Test func burstOfARareTemplate() {
        var records = known(900)
        // Seen twice long ago (rare), then five times within a minute.
        records += [50, 300].map { record(Double($0) + 0.5, message: "cache shard rebalanced") }
        records += [800, 801, 802, 803, 804].map { record(Double($0) + 0.5, message: "cache shard rebalanced") }
        records.sort { $0.time < $1.time }
        let signals = run(configuration, records)
        #expect(signals.map(\.name) == ["template_burst"])
        #expect(signals.first?.count == 5)
        #expect(signals.first?.start == 800 * second + second / 2)
    }

    @Test func restoredTemplatesAreKnown() throws {
        let engine = DetectionEngine(configuration: configuration)
        _ = engine.process(known(700) + [record(701, message: "ledger lock held by txn 1")])
        _ = engine.flush()
        let bytes = try #require(engine.templateSnapshot()).jsonBytes()

        let restarted = DetectionEngine(configuration: configuration)
        restarted.restoreTemplates(try TemplateSnapshot(jsonBytes: bytes))
        #expect(restarted.templates == engine.templates)
        // Known templates stay quiet; the warm-up is skipped, so a genuinely new one fires at once.
        let more = [702, 703, 704].map { record(Double($0), message: "ledger lock held by txn \($0)") }
            + [705, 706, 707].map { record(Double($0), message: "replica \($0) fell behind primary") }
        let signals = restarted.process(more) + restarted.flush()
        #expect(signals.count == 1)
        #expect(signals.first?.title == "new log template in api: replica <NUM> fell behind primary")
        #expect(restarted.templateID(for: "ledger lock held by txn 99") != nil)
    }
}
