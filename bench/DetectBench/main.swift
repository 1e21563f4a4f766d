// vigil-detect-bench: throughput and memory of VigilDetect on a deterministic synthetic stream.
//
//     swift build -c release --product vigil-detect-bench
//     .build/release/vigil-detect-bench [--records N] [--seed S] [--streams N]
//
// Prints records/s for each configuration (one thread, records generated before timing) and the
// resident memory (VmRSS from /proc/self/status) per live stream.

import Foundation
import VigilCore
import VigilDetect

/// SplitMix64: a small seeded generator, so every run sees the same records.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Synthetic records: `services` services on 20 hosts, messages from 40 shapes with variable parts
/// (numbers, ids, IPs, paths, UUIDs, user names), about 2 % at `err` or worse, 20 µs of event time
/// apart on average with a little disorder (well within the 30 s lateness).
func generate(count: Int, services serviceCount: Int, seed: UInt64) -> [LogRecord] {
    var random = SplitMix64(state: seed)
    let services = (0..<serviceCount).map { "svc-\($0)" }
    let hosts = (0..<20).map { "host-\($0)" }
    let users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
    let verbs = ["GET", "POST", "PUT", "DELETE"]
    let shapes: [(inout SplitMix64) -> String] = (0..<40).map { shape in
        { r in
            switch shape % 8 {
            case 0: "\(verbs[r.below(4)]) /api/v\(shape)/items/\(r.below(100_000)) \(200 + r.below(3) * 100) \(r.below(900))ms"
            case 1: "user \(users[r.below(8)]) logged in from 10.\(r.below(256)).\(r.below(256)).\(r.below(256)) via shape\(shape)"
            case 2: "connection \(r.below(1_000_000)) closed by peer after \(r.below(60)) s (worker \(shape))"
            case 3: "cache miss for key session:\(r.next() % 1_000_000_000) in region r\(shape)"
            case 4: "job \(String(r.next(), radix: 16)) finished with status \(r.below(3)) stage \(shape)"
            case 5: "request id=\(UUID(uuid: (UInt8(r.below(256)), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, UInt8(r.below(256)))).uuidString.lowercased()) handled kind\(shape)"
            case 6: "wrote \(r.below(10_000)) bytes to /var/lib/app\(shape)/data/\(r.below(100)).db"
            default: "queue q\(shape) depth \(r.below(500)) lag \(r.below(10_000))ms"
            }
        }
    }
    var records: [LogRecord] = []
    records.reserveCapacity(count)
    var time: Int64 = 1_790_000_000_000_000_000
    for _ in 0..<count {
        time += Int64(random.below(40_000))
        let jitter = random.below(100) == 0 ? Int64(random.below(5_000_000_000)) : 0
        let roll = random.below(1000)
        let severity: Severity = roll < 15 ? .err : roll < 20 ? .crit : roll < 80 ? .warning : .info
        let message = shapes[random.below(shapes.count)](&random)
        records.append(
            LogRecord(
                time: time - jitter, host: hosts[random.below(hosts.count)], service: services[random.below(serviceCount)],
                severity: severity, message: message))
    }
    return records
}

/// A `/proc/self/status` field in KiB (`VmRSS`, `VmHWM`); 0 when unavailable.
func status(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }
    return 0
}

func formatted(_ value: Double) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.maximumFractionDigits = 0
    return formatter.string(from: NSNumber(value: value)) ?? String(Int(value))
}

/// Runs `records` through a fresh engine and returns records/s and the signal count.
func measure(_ name: String, _ configuration: DetectionConfiguration, _ records: [LogRecord]) -> Double {
    let engine = DetectionEngine(configuration: configuration)
    let clock = ContinuousClock()
    var signals = 0
    let elapsed = clock.measure {
        var start = 0
        while start < records.count {  // batches of 4096, as the store commits them
            let end = min(records.count, start + 4096)
            signals += engine.process(records[start..<end]).count
            start = end
        }
        signals += engine.flush().count
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(records.count) / seconds
    let counters = engine.counters
    print(
        "\(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(formatted(rate).leftPadded(11)) records/s"
            + "  (\(String(format: "%.2f", seconds)) s, \(signals) signals, \(counters.streams) streams, "
            + "\(counters.templates) templates, \(counters.lateRecords) late)")
    return rate
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

var recordCount = 2_000_000
var seed: UInt64 = 42
var streamCount = 10_000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--records": recordCount = Int(arguments.popFirst() ?? "") ?? recordCount
    case "--seed": seed = UInt64(arguments.popFirst() ?? "") ?? seed
    case "--streams": streamCount = Int(arguments.popFirst() ?? "") ?? streamCount
    default:
        print("usage: vigil-detect-bench [--records N] [--seed S] [--streams N]")
        exit(64)
    }
}

let generationStart = Date()
let records = generate(count: recordCount, services: 50, seed: seed)
print("vigil-detect-bench: \(formatted(Double(recordCount))) records, 50 services, seed \(seed) (generated in \(String(format: "%.1f", Date().timeIntervalSince(generationStart))) s)")

var rulesAndRate = DetectionConfiguration()
rulesAndRate.newTemplate.enabled = false
var rulesOnly = rulesAndRate
rulesOnly.rate.enabled = false
rulesOnly.errorRatio.enabled = false
var templatesOnly = DetectionConfiguration.init()
templatesOnly.rules = []
templatesOnly.rate.enabled = false
templatesOnly.errorRatio.enabled = false

print("-- throughput (one thread, release build; goals: rules+rate >= 1,000,000/s, with templates >= 300,000/s)")
_ = measure("default rule only", rulesOnly, records)
_ = measure("rules + rate + error_ratio", rulesAndRate, records)
_ = measure("template mining only", templatesOnly, records)
_ = measure("all (rules, rate, ratio, templates)", DetectionConfiguration(), records)

// Memory per live stream: records spread over `streamCount` services, four per stream.
print("-- memory with \(formatted(Double(streamCount))) live streams (rate + error_ratio + default rule, 5 evidence records)")
let streamRecords = generate(count: streamCount * 4, services: streamCount, seed: seed &+ 1)
    .enumerated().map { index, record in
        var record = record
        record.service = "svc-\(index % streamCount)"
        if index % 8 == 0 { record.severity = .err }
        return record
    }
var streamConfiguration = rulesAndRate
streamConfiguration.maxStreams = streamCount
let before = status("VmRSS")
let engine = DetectionEngine(configuration: streamConfiguration)
_ = engine.process(streamRecords)
_ = engine.flush()
let after = status("VmRSS")
let streams = engine.counters.streams
let perStream = Double(after - before) * 1024 / Double(streamCount)
print("RSS before \(before) KiB, after \(after) KiB: +\(after - before) KiB for \(streams) stream entries over 3 tables")
print("about \(formatted(perStream)) bytes per stream key (rate + error_ratio + rule group together)")
print("VmHWM \(status("VmHWM")) KiB")

// The scorer of the rate and error-ratio detectors (and detect-series) alone: points per second on
// one thread, and bytes per scorer (what each stream of each statistical detector holds).
print("-- series scorer (one thread; goals: >= 200,000 points/s, <= 8 KiB per stream)")
do {
    var generator = SystemRandomNumberGenerator()
    let values = (0..<1_000_000).map { index in 100 + 10 * sin(Double(index) / 50) + Double.random(in: -5...5, using: &generator) }
    var scorer = SeriesAnomalyScorer(parameters: RateDetectorConfiguration.defaultScorer)
    var sum = 0.0
    let start = Date()
    for round in 0..<5 {
        for (index, value) in values.enumerated() {
            sum += scorer.observe(value, at: Int64(round * values.count + index) * 10_000_000_000).score
        }
    }
    let seconds = Date().timeIntervalSince(start)
    print("observe: \(formatted(Double(5 * values.count) / seconds)) points/s (\(String(format: "%.2f", seconds)) s, checksum \(String(format: "%.3f", sum)))")
    let count = 100_000
    let before = status("VmRSS")
    var scorers = [SeriesAnomalyScorer](repeating: SeriesAnomalyScorer(parameters: RateDetectorConfiguration.defaultScorer), count: count)
    for index in scorers.indices { _ = scorers[index].observe(Double(index % 7), at: 0) }  // each its own state
    let after = status("VmRSS")
    print("\(formatted(Double(count))) scorers: +\(after - before) KiB, \(formatted(Double(after - before) * 1024 / Double(count))) bytes per scorer (inline \(MemoryLayout<SeriesAnomalyScorer>.stride) B)")
    withExtendedLifetime(scorers) {}
}
