import VigilTestSupport
import VigilCore

@testable import VigilDetect

/// A deterministic 40-minute stream with something for every detector: steady traffic for five
/// services, an error burst in `pay` (minutes 20–21), `search` going silent (minutes 25–30), a
/// rising error share in `auth` (minutes 30–33), and a new message template (minute 15).
func syntheticStream(seed: UInt64 = 42) -> [LogRecord] {
    var generator = SplitMix(seed: seed)
    var records: [LogRecord] = []
    let services = ["api", "pay", "auth", "search", "mail"]
    for tenth in 0..<(40 * 60 * 10) {  // every 100 ms
        let base = Int64(tenth) * 100_000_000
        let minute = tenth / 600
        for (index, service) in services.enumerated() {
            if service == "search", (25..<30).contains(minute) { continue }
            guard generator.next() % 4 <= UInt64(index % 2) else { continue }
            let time = base + Int64(generator.next() % 100_000_000)
            var severity = Severity.info
            var message = "GET /v1/\(service)/items/\(generator.next() % 1000) 200 \(generator.next() % 90)ms"
            if generator.next() % 200 == 0 {
                severity = .err
                message = "upstream \(service)-db timed out after \(generator.next() % 5000)ms"
            }
            if service == "pay", (20..<22).contains(minute), generator.next() % 3 == 0 {
                severity = .err
                message = "card processor returned 502 for txn \(generator.next() % 100_000)"
            }
            if service == "auth", (30..<33).contains(minute), generator.next() % 3 == 0 {
                severity = .err
                message = "token signature invalid for user u\(generator.next() % 500)"
            }
            if service == "mail", minute >= 15, generator.next() % 50 == 0 {
                message = "queue flush deferred: \(generator.next() % 40) messages pending"
            }
            records.append(LogRecord(time: time, host: "host-\(index)", service: service, severity: severity, message: message))
        }
    }
    records.sort { ReorderBuffer.precedes($0, $1) }
    return records
}

extension DetectionConfiguration {
    /// Every detector on, with warm-ups short enough for `syntheticStream`.
    static var everything: DetectionConfiguration {
        var configuration = DetectionConfiguration()
        configuration.rate.scorer.warmUp = 30  // buckets of 10 s
        configuration.errorRatio.scorer.warmUp = 5  // buckets of 1 min
        configuration.newTemplate.warmUp = 600 * second
        return configuration
    }
}
