import Foundation

/// A count series in 10 s buckets (steady 80–120, a spike at bucket 250, a drop to zero at
/// 370–373) and the check that the rate signals the daemon's detection engine opened on it (through
/// `vigil replay` or a running vigild) fall exactly where `vigil detect-series --bucket 10s`
/// scores the same counts at the open threshold (0.6), with the same scores.
public struct RateSeriesAgreement: Sendable {
    /// The first bucket's start: 2026-06-15T10:00:00Z, in seconds.
    public static let base: Int64 = 1_781_517_600
    /// Records per bucket.
    public let counts: [Int]

    public init() {
        var generator = SplitMix(seed: 28)
        var counts = (0..<420).map { _ in Int.random(in: 80...120, using: &generator) }
        counts[250] = 400
        for bucket in 370..<374 { counts[bucket] = 0 }
        self.counts = counts
    }

    /// The series for detect-series, from the second bucket on: vigild does not score a stream's
    /// first bucket (it is partial as a rule).
    public var csv: String {
        "timestamp,value\n" + counts.indices.dropFirst().map { "\(Self.base + Int64($0) * 10),\(counts[$0])\n" }.joined()
    }

    /// The event times (ns) of bucket `bucket`'s records, evenly spread over its 10 s.
    public func times(ofBucket bucket: Int) -> [Int64] {
        let start = (Self.base + Int64(bucket) * 10) * 1_000_000_000
        return (0..<counts[bucket]).map { start + Int64($0) * 10_000_000_000 / Int64(counts[bucket]) }
    }

    /// The bucket a signal time (`2026-06-15T10:41:40.000000000Z`) falls in; `nil` if unreadable.
    public func bucket(of time: Any?) -> Int? {
        guard let text = time as? String, text.count >= 19,
            let date = ISO8601DateFormatter().date(from: String(text.prefix(19)) + "Z")
        else { return nil }
        return Int(Int64(date.timeIntervalSince1970) - Self.base) / 10
    }

    /// What disagrees between `signals` (the rate signals opened and resolved on the series, as
    /// decoded JSON) and `detectSeriesLines` (detect-series' output on `csv`, header included);
    /// empty when they agree.
    public func problems(signals: [[String: Any]], detectSeriesLines: [String]) -> [String] {
        let scores = [0] + detectSeriesLines.dropFirst().map { Double($0.split(separator: ",")[2]) ?? .nan }
        guard scores.count == counts.count else { return ["detect-series printed \(scores.count - 1) rows for \(counts.count - 1)"] }
        var problems: [String] = []
        let firing = signals.filter { $0["status"] as? String == "firing" }
        let names = firing.map { $0["name"] as? String ?? "?" }
        if names != ["rate.spike", "rate.drop"] { problems.append("opened \(names), not a spike and a drop") }
        var open: [Range<Int>] = []
        for signal in firing {
            guard let start = bucket(of: signal["start"]), scores.indices.contains(start) else {
                problems.append("a signal starts outside the series: \(signal["start"] ?? "?")")
                continue
            }
            if scores[start] < 0.6 { problems.append("bucket \(start) opened a signal at score \(scores[start])") }
            let score = signal["score"] as? Double ?? .nan
            if !(abs(score - scores[start]) < 1e-12) { problems.append("bucket \(start): score \(score), detect-series \(scores[start])") }
            let resolved = signals.first {
                $0["status"] as? String == "resolved" && $0["fingerprint"] as? String == signal["fingerprint"] as? String
            }
            open.append(start..<(resolved.flatMap { bucket(of: $0["end"]) } ?? counts.count))
        }
        if open.map(\.lowerBound) != [250, 370] { problems.append("opened at buckets \(open.map(\.lowerBound)), not 250 and 370") }
        // Every other alert row falls while a signal is open.
        for row in scores.indices where scores[row] >= 0.6 && !open.contains(where: { $0.contains(row) }) {
            problems.append("row \(row) scores \(scores[row]) but no signal was open")
        }
        return problems
    }
}
