import VigilCore

/// The state of one rule for one group key.
///
/// Only the last `threshold + 1` match times are kept (a ring): "more than `threshold` in
/// `[t - window, t]`" holds exactly when the oldest of them is in the window. So a group costs
/// `8 × (threshold + 1)` bytes of times plus up to `evidence` records, whatever the match rate.
struct RuleGroupState {
    /// Where the group is in its life cycle.
    enum Phase: Equatable {
        /// The condition does not hold (or has not held long enough to matter).
        case idle
        /// The condition holds since `since`, waiting for `for` to elapse.
        case pending(since: Int64)
        /// The rule fired; it resolves once the condition has been false for a whole window.
        case firing
    }

    private var times: [Int64]
    private var nextTime = 0
    private var evidence: [Evidence] = []
    private var nextEvidence = 0
    private let evidenceLimit: Int
    /// The phase.
    var phase = Phase.idle
    /// Start of the current episode (the oldest record in the window when the condition began).
    var episodeStart: Int64 = 0
    /// Matching records since the episode began (including those already in the window then).
    var episodeCount = 0
    /// The last instant at which the condition held (given the records so far).
    var holdsUntil: Int64 = .min
    /// The deadline of the timer currently set for this group, or `Int64.max` when none.
    var armedDeadline: Int64 = .max

    /// An empty group for a rule with `threshold`, keeping `evidenceLimit` records.
    init(threshold: Int, evidenceLimit: Int) {
        times = []
        times.reserveCapacity(threshold + 1)
        self.evidenceLimit = evidenceLimit
        capacity = threshold + 1
    }

    private let capacity: Int

    /// The oldest of the last `threshold + 1` match times, when there are that many.
    var oldestOfLast: Int64? {
        times.count < capacity ? nil : times[nextTime]
    }

    /// The match time `back` places before the newest one kept (0: the newest), if kept.
    func recentTime(_ back: Int) -> Int64? {
        guard back >= 0, back < times.count else { return nil }
        if times.count < capacity { return times[times.count - 1 - back] }
        let index = nextTime - 1 - back
        return times[index < 0 ? index + capacity : index]
    }

    /// Whether the window `[time - window, time]` holds more than `threshold` matches.
    @inline(__always)
    func holds(at time: Int64, window: Int64) -> Bool {
        guard let oldest = oldestOfLast else { return false }
        return oldest >= time &- window
    }

    /// Records a match at `record.time`.
    @inline(__always)
    mutating func add(_ record: LogRecord) {
        if times.count < capacity {
            times.append(record.time)
        } else {
            times[nextTime] = record.time
            nextTime = nextTime + 1 == capacity ? 0 : nextTime + 1
        }
        guard evidenceLimit > 0 else { return }
        if evidence.count < evidenceLimit {
            evidence.append(Evidence(record))
        } else {
            evidence[nextEvidence] = Evidence(record)
            nextEvidence = nextEvidence + 1 == evidenceLimit ? 0 : nextEvidence + 1
        }
    }

    /// The most recent matches (up to the evidence limit), oldest first.
    var recentEvidence: [Evidence] {
        Array(evidence[nextEvidence...] + evidence[..<nextEvidence])
    }
}
