import Foundation
import VigilCore
import VigilDetect
import Logging
import VigilIncidentPostgres
import VigilIncidentStore
import VigilIncidents

// vigil-incidents-bench: the incident store under signal storms, through the loop vigild runs
// (SignalQueue → IncidentRecorder → SQLite), and filling a database for the API benchmark.
//
//   vigil-incidents-bench storm DIR --rate R --seconds S --fingerprints N
//       signals at R/s for S s over N fingerprints (R = 0: as fast as the store takes them);
//       prints achieved signals/s, signal→commit latency p50/p99/max, transactions, and checks
//       that every fingerprint has one incident with the exact signal count
//       --postgres URL: into a PostgreSQL database instead of DIR/incidents.db (`--shared`: other
//       processes write there too, so the counts are checked by the caller, not here)
//   vigil-incidents-bench fill DIR --incidents N
//       N incidents (a quarter resolved), each with five evidence records

func argument(_ name: String, _ fallback: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count,
        let value = Int(CommandLine.arguments[index + 1])
    else { return fallback }
    return value
}

func signal(_ fingerprint: Int, at time: Int64) -> Signal {
    let service = "service-\(fingerprint)"
    let evidence = (0..<5).map {
        Evidence(
            LogRecord(
                time: time - Int64($0) * 1_000_000, host: "web-\(fingerprint % 16)", service: service, severity: .err,
                message: "upstream timed out (110: Connection timed out) while reading response header, request \($0)"))
    }
    return Signal(
        detector: .rule, name: "errors", key: [GroupValue(name: "service", value: service)], severity: .err,
        title: "\(service): 6 errors in 1m", start: time - 5_000_000, end: time, count: 6, score: 1, status: .firing,
        evidence: evidence)
}

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

/// DIR/incidents.db, or the database `--postgres URL` names.
func openStore(directory: String) async throws -> any IncidentStore {
    guard let url = option("--postgres") else {
        return try SQLiteIncidentStore(path: directory + "/incidents.db", hostname: "bench", policy: IncidentsConfiguration())
    }
    let table = try ConfigTable(TOMLParser.parse("url = \"\(url)\"", file: "--postgres"))
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    return try await PostgresIncidentStore.open(
        settings: try PostgresSettings(table: table), hostname: "bench", policy: IncidentsConfiguration(), logger: logger)
}

func inSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((fraction * Double(sorted.count)).rounded(.up)) - 1)]
}

/// Collects latencies from the recorder's callbacks (which run one at a time, in order).
actor Latencies {
    var values: [Double] = []
    var transactions = 0
    var failures = 0
    func add(_ batch: [Double]) {
        values += batch
        transactions += 1
    }
    func failed() { failures += 1 }
}

func storm(directory: String) async throws {
    let rate = argument("--rate", 10_000), seconds = argument("--seconds", 10), fingerprints = argument("--fingerprints", 1)
    let shared = CommandLine.arguments.contains("--shared")
    if option("--postgres") == nil {
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    let store = try await openStore(directory: directory)
    let recorder = IncidentRecorder(store: store, filters: IncidentEvidenceFilters(configuration: DetectionConfiguration()))
    let queue = SignalQueue(capacity: 10_000_000)
    let latencies = Latencies()
    let consumer = Task {
        await recorder.run(queue) { entries, _, committed in
            await latencies.add(entries.map { inSeconds(committed - $0.queuedAt) * 1000 })
        } failed: { _, error, _ in
            FileHandle.standardError.write(Data("transaction failed: \(error)\n".utf8))
            await latencies.failed()
        }
    }
    let start = ContinuousClock.now
    var produced = 0
    let total = rate > 0 ? rate * seconds : Int.max
    let deadline = start + .seconds(seconds)
    while produced < total, ContinuousClock.now < deadline {
        let due = rate > 0 ? min(total, Int(Double(rate) * inSeconds(ContinuousClock.now - start))) : produced + 2_000
        if due > produced {
            let time = WallClock.now()
            queue.append((produced..<due).map { signal($0 % fingerprints, at: time) })
            produced = due
        }
        if rate > 0 { try await Task.sleep(for: .milliseconds(1)) } else { await Task.yield() }
    }
    queue.finish()
    await consumer.value
    let wall = inSeconds(ContinuousClock.now - start)
    let sorted = await latencies.values.sorted()
    var query = IncidentQuery()
    query.limit = 1000
    var incidents: [Incident] = []
    while true {
        let page = try await store.incidents(query)
        incidents += page.incidents
        guard let next = page.nextCursor else { break }
        query.cursor = next
    }
    let counts = Dictionary(grouping: incidents, by: \.fingerprint).mapValues { $0.reduce(0) { $0 + $1.signalCount } }
    let expected = (0..<min(fingerprints, produced)).map { index in produced / fingerprints + (index < produced % fingerprints ? 1 : 0) }
    let exact = shared || (incidents.count == min(fingerprints, produced) && counts.values.sorted() == expected.sorted())
    print(
        String(
            format: "storm rate=%@ seconds=%d fingerprints=%d: signals=%d in %.2f s = %.0f/s; latency ms p50 %.2f p99 %.2f max %.2f; transactions %d; incidents %d, counts exact: %@",
            rate > 0 ? String(rate) : "max", seconds, fingerprints, produced, wall, Double(produced) / wall, percentile(sorted, 0.5),
            percentile(sorted, 0.99), sorted.last ?? .nan, await latencies.transactions, incidents.count,
            shared ? "checked by the caller" : exact ? "yes" : "NO"))
    try await store.close()
    let failures = await latencies.failures
    if !exact || failures > 0 { exit(1) }
}

func fill(directory: String) async throws {
    let count = argument("--incidents", 100_000)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let store = try SQLiteIncidentStore(path: directory + "/incidents.db", hostname: "bench", policy: IncidentsConfiguration())
    let filters = IncidentEvidenceFilters(configuration: DetectionConfiguration())
    var made = 0
    while made < count {
        let batch = min(2_000, count - made)
        let time = WallClock.now()
        _ = try await store.apply((made..<made + batch).map { IncidentSignal(signal($0, at: time), filters: filters) }, now: time)
        made += batch
    }
    for number in stride(from: 1, through: count, by: 4) {
        _ = try await store.resolve("INC-\(number)", by: "bench", now: WallClock.now())
    }
    try store.close()
    let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/incidents.db")[.size] as? Int) ?? 0
    print("filled \(directory)/incidents.db: \(count) incidents, \(size / 1_048_576) MiB")
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, ["storm", "fill"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: vigil-incidents-bench storm|fill DIR [options] (see bench/README.md)\n".utf8))
    exit(2)
}
do {
    if arguments[1] == "storm" { try await storm(directory: arguments[2]) } else { try await fill(directory: arguments[2]) }
} catch {
    FileHandle.standardError.write(Data("vigil-incidents-bench: \(error)\n".utf8))
    exit(1)
}
