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

        /// Creates an entry.
        public init(fingerprint: String, title: String, flaps: Int, incidents: Int) {
            self.fingerprint = fingerprint
            self.title = title
            self.flaps = flaps
            self.incidents = incidents
        }
    }

    /// Creates a report.
    public init(
        since: Int64, until: Int64, total: Int, bySeverity: [String: Int], byDetector: [String: Int],
        timeToAcknowledge: DurationSummary, timeToResolve: DurationSummary, flapping: [Flapping]
    ) {
        self.since = since
        self.until = until
        self.total = total
        self.bySeverity = bySeverity
        self.byDetector = byDetector
        self.timeToAcknowledge = timeToAcknowledge
        self.timeToResolve = timeToResolve
        self.flapping = flapping
    }

    /// What the report reads of one incident opened in the period.
    public struct Entry: Sendable {
        public var severity: String, detector: String, fingerprint: String, title: String, status: String
        public var openedAt: Int64, acknowledgedAt: Int64?, resolvedAt: Int64?, flapCount: Int

        /// Creates one.
        public init(
            severity: String, detector: String, fingerprint: String, title: String, status: String, openedAt: Int64,
            acknowledgedAt: Int64?, resolvedAt: Int64?, flapCount: Int
        ) {
            (self.severity, self.detector, self.fingerprint, self.title, self.status) = (severity, detector, fingerprint, title, status)
            (self.openedAt, self.acknowledgedAt, self.resolvedAt, self.flapCount) = (openedAt, acknowledgedAt, resolvedAt, flapCount)
        }
    }

    /// The report over `entries`: the incidents opened from `since` to `until`, by number.
    public init(since: Int64, until: Int64, entries: [Entry]) {
        var bySeverity = Dictionary(uniqueKeysWithValues: IncidentSeverity.allCases.map { ($0.rawValue, 0) })
        var byDetector: [String: Int] = [:]
        var acknowledge: [Int64] = [], resolve: [Int64] = []
        var flapping: [String: Flapping] = [:]
        for entry in entries {
            bySeverity[entry.severity, default: 0] += 1
            byDetector[entry.detector, default: 0] += 1
            if let acknowledged = entry.acknowledgedAt { acknowledge.append(acknowledged - entry.openedAt) }
            if let resolved = entry.resolvedAt, entry.status == IncidentStatus.resolved.rawValue { resolve.append(resolved - entry.openedAt) }
            var flaps = flapping[entry.fingerprint] ?? .init(fingerprint: entry.fingerprint, title: "", flaps: 0, incidents: 0)
            flaps.title = entry.title
            flaps.flaps += entry.flapCount
            flaps.incidents += 1
            flapping[entry.fingerprint] = flaps
        }
        let top = flapping.values.filter { $0.flaps > 0 }
            .sorted { $0.flaps != $1.flaps ? $0.flaps > $1.flaps : $0.fingerprint < $1.fingerprint }
        self.init(
            since: since, until: until, total: entries.count, bySeverity: bySeverity, byDetector: byDetector,
            timeToAcknowledge: DurationSummary(acknowledge), timeToResolve: DurationSummary(resolve), flapping: Array(top.prefix(10)))
    }

    /// The SQL that selects what an ``Entry`` needs (`opened_at` between two parameters).
    public static let entryColumns =
        "severity, detector, fingerprint, title, status, opened_at, acknowledged_at, resolved_at, flap_count"

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

