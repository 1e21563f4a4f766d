import GRDB
import VigilIncidents

/// What `vigil incidents report` shows for incidents opened in a period: how many by severity and
/// detector, how fast they were taken (MTTA: opened → first acknowledgement) and ended (MTTR:
/// opened → resolved), and which fingerprints flap most.
public struct IncidentReport: Sendable, Hashable, Codable {
    /// Start of the period (wall time, ns).
    public var since: Int64
    /// End of the period (wall time, ns).
    public var until: Int64
    /// Incidents opened in the period.
    public var total: Int
    /// By severity (every severity present).
    public var bySeverity: [String: Int]
    /// By detector.
    public var byDetector: [String: Int]
    /// Opened → first acknowledgement, over those acknowledged.
    public var timeToAcknowledge: DurationSummary
    /// Opened → resolved, over those resolved.
    public var timeToResolve: DurationSummary
    /// The fingerprints that reopened most, most first (at most 10, only those that flapped).
    public var flapping: [Flapping]

    /// A fingerprint that flapped.
    public struct Flapping: Sendable, Hashable, Codable {
        /// The fingerprint.
        public var fingerprint: String
        /// The latest incident's title.
        public var title: String
        /// Reopens, summed over its incidents in the period.
        public var flaps: Int
        /// Its incidents in the period.
        public var incidents: Int
    }

    enum CodingKeys: String, CodingKey {
        case since, until, total, bySeverity = "by_severity", byDetector = "by_detector"
        case timeToAcknowledge = "mtta", timeToResolve = "mttr", flapping
    }
}

/// Mean, median and 90th percentile of durations, in seconds; `count` is how many there were.
public struct DurationSummary: Sendable, Hashable, Codable {
    /// How many durations.
    public var count: Int
    /// The mean, seconds (`nil` when there are none).
    public var mean: Double?
    /// The median, seconds.
    public var p50: Double?
    /// The 90th percentile, seconds (nearest rank).
    public var p90: Double?

    /// The summary of `nanoseconds`.
    public init(_ nanoseconds: [Int64]) {
        count = nanoseconds.count
        guard !nanoseconds.isEmpty else { return }
        let seconds = nanoseconds.map { Double($0) / 1e9 }.sorted()
        mean = seconds.reduce(0, +) / Double(seconds.count)
        p50 = Self.percentile(seconds, 0.5)
        p90 = Self.percentile(seconds, 0.9)
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

extension IncidentStore {
    /// The report over incidents opened from `since` to `until` (wall time, ns).
    public func report(since: Int64, until: Int64) async throws(IncidentStoreError) -> IncidentReport {
        try await read { rows in
            let found = try Row.fetchAll(
                rows.db,
                sql: """
                    SELECT number, severity, detector, fingerprint, title, opened_at, acknowledged_at, resolved_at, status, flap_count
                    FROM incidents WHERE opened_at >= ? AND opened_at <= ? ORDER BY number
                    """,
                arguments: [since, until])
            var bySeverity = Dictionary(uniqueKeysWithValues: IncidentSeverity.allCases.map { ($0.rawValue, 0) })
            var byDetector: [String: Int] = [:]
            var acknowledge: [Int64] = [], resolve: [Int64] = []
            var flapping: [String: IncidentReport.Flapping] = [:]
            for row in found {
                let opened: Int64 = row["opened_at"]
                bySeverity[row["severity"], default: 0] += 1
                byDetector[row["detector"], default: 0] += 1
                if let acknowledged: Int64 = row["acknowledged_at"] { acknowledge.append(acknowledged - opened) }
                if let resolved: Int64 = row["resolved_at"], (row["status"] as String) == IncidentStatus.resolved.rawValue {
                    resolve.append(resolved - opened)
                }
                let fingerprint: String = row["fingerprint"]
                var entry = flapping[fingerprint] ?? .init(fingerprint: fingerprint, title: "", flaps: 0, incidents: 0)
                entry.title = row["title"]
                entry.flaps += row["flap_count"] as Int
                entry.incidents += 1
                flapping[fingerprint] = entry
            }
            let top = flapping.values.filter { $0.flaps > 0 }
                .sorted { $0.flaps != $1.flaps ? $0.flaps > $1.flaps : $0.fingerprint < $1.fingerprint }
            return IncidentReport(
                since: since, until: until, total: found.count, bySeverity: bySeverity, byDetector: byDetector,
                timeToAcknowledge: DurationSummary(acknowledge), timeToResolve: DurationSummary(resolve),
                flapping: Array(top.prefix(10)))
        }
    }
}
