import VigilCore

/// Runs one `absent` rule: per group key, when its silence started (the event time of its last
/// matching record, or when the detectors started for a key listed in `expect` and not seen yet),
/// and a timer at that time plus `for`: a silence of exactly `for` is not one yet, a longer one is.
///
/// The timer fires when event time passes it: the watermark, moved on by the records of every other
/// stream, or by the wall clock in the daemon (`DetectionEngine.advance(to:)`), so a host that goes
/// quiet altogether is noticed too. A group fires once per silence; its next matching record
/// resolves it. One timer is armed per group at a time: a record moves the silence's start, and
/// the timer, when it comes due early, is armed again for the new deadline.
///
/// `expect` starts counting at the first event time seen while signals are emitted (not during a
/// warm-up, which replays history the previous run has already judged), so "expected from
/// start-up" means from when the detectors go live, in the daemon and in a replay alike.
struct AbsenceEvaluator {
    /// The state of one group key.
    struct GroupState {
        /// When the silence began: the last matching record's time, or the start for an expected key.
        var since: Int64
        /// The key has had a matching record (false for an expected key not seen yet).
        var seen: Bool
        /// Whether the silence has opened a signal that is not resolved.
        var firing = false
        /// The last matching record: the evidence of a signal.
        var lastRecord: Evidence?
        /// The deadline of the timer armed for this group, `Int64.max` when none.
        var armedDeadline: Int64 = .max
    }

    /// The rule.
    let rule: RuleConfiguration
    /// The groups.
    private(set) var groups: StreamTable<GroupState>
    private var timers = DeadlineQueue()
    /// When expectations began (nil until the rule first sees event time while signals are emitted).
    private(set) var startedAt: Int64?
    private let forText: String

    /// An evaluator for `rule` (of kind `absent`), keeping at most `maxGroups` groups.
    init(rule: RuleConfiguration, maxGroups: Int) {
        precondition(rule.kind == .absent)
        self.rule = rule
        groups = StreamTable(capacity: maxGroups)
        forText = DurationParser.format(rule.holdFor)
    }

    /// The earliest pending timer deadline (`Int64.min` while expectations wait for their start).
    var nextDeadline: Int64 {
        startedAt == nil && !rule.expect.isEmpty ? .min : timers.nextDeadline
    }

    /// Notes `record`, released in event-time order, if it matches: its group's silence starts
    /// again, and a firing group resolves.
    @inline(__always)
    mutating func processIfMatches(_ record: LogRecord, into output: inout SignalOutput) {
        guard rule.match.matches(record) else { return }
        let time = record.time
        let groupBy = rule.groupBy
        let slot = groups.slot(
            for: groupBy.key(of: record), at: time, values: { groupBy.values(of: record) },
            make: { GroupState(since: .min, seen: false) })
        var state = groups.entries[slot].state
        // Older than the silence known (history re-warmed after a restore): it changes nothing.
        if state.seen, time <= state.since { return }
        if state.firing {
            output.emit(signal(slot: slot, state: state, status: .resolved, end: time, evidence: []))
            state.firing = false
        }
        state.since = time
        state.seen = true
        state.lastRecord = Evidence(record)
        groups.entries[slot].state = state
        arm(slot: slot, at: deadline(since: time))
    }

    /// When the silence that began at `since` opens a signal: once event time passes `since + for`.
    private func deadline(since: Int64) -> Int64 { since &+ rule.holdFor &+ 1 }

    /// Runs the timers due at or before `time`; starts the expectations at `time` if they have
    /// not started and signals are emitted.
    mutating func advance(to time: Int64, into output: inout SignalOutput) {
        guard time != .min else { return }
        if startedAt == nil, !rule.expect.isEmpty, output.isEnabled { startExpectations(at: time) }
        while let timer = timers.popDue(atOrBefore: time) {
            guard groups.isCurrent(slot: timer.slot, generation: timer.generation) else { continue }
            let slot = Int(timer.slot)
            guard groups.entries[slot].state.armedDeadline == timer.deadline else { continue }
            groups.entries[slot].state.armedDeadline = .max
            let state = groups.entries[slot].state
            guard !state.firing else { continue }
            let due = deadline(since: state.since)
            if timer.deadline < due {
                arm(slot: slot, at: due)
                continue
            }
            groups.entries[slot].state.firing = true
            let evidence = state.lastRecord.map { [$0] } ?? []
            let end = state.since &+ rule.holdFor
            output.emit(signal(slot: slot, state: state, status: .firing, end: end, evidence: evidence), dueAt: due)
        }
    }

    /// Adds the expected keys not seen yet, their silence starting at `time`.
    private mutating func startExpectations(at time: Int64) {
        startedAt = time
        guard let name = rule.groupBy.names.first else { return }
        for value in rule.expect where groups.slot(of: value) == nil {
            let slot = groups.slot(
                for: value, at: time, values: { [GroupValue(name: name, value: value)] },
                make: { GroupState(since: time, seen: false) })
            arm(slot: slot, at: deadline(since: time))
        }
    }

    private mutating func arm(slot: Int, at deadline: Int64) {
        guard groups.entries[slot].state.armedDeadline == .max else { return }
        groups.entries[slot].state.armedDeadline = deadline
        timers.push(.init(deadline: deadline, slot: Int32(truncatingIfNeeded: slot), generation: groups.entries[slot].generation))
    }

    private func signal(slot: Int, state: GroupState, status: SignalStatus, end: Int64, evidence: [Evidence]) -> Signal {
        let values = groups.entries[slot].values
        let lastSeen = state.seen ? TimeFormatter.rfc3339(state.since, fractionDigits: 0) : "never"
        let title = rule.title.render { name in
            switch name {
            case "rule": rule.name
            case "for": forText
            case "key": values.map(\.value).joined(separator: ", ")
            case "last_seen": lastSeen
            default: values.first { $0.name == name }?.value
            }
        }
        let silence = Double(end &- state.since) / Double(max(1, rule.holdFor))
        return Signal(
            detector: .rule, name: rule.name, key: values, severity: rule.severity, title: title, start: state.since,
            end: end, count: 0, score: silence, status: status, evidence: evidence)
    }

    // MARK: - Restarts

    /// The groups as plain values, to persist across restarts.
    func snapshot() -> AbsenceSnapshot.Rule {
        var saved = AbsenceSnapshot.Rule(groupBy: rule.groupBy.names, startedAt: startedAt)
        for entry in groups.entries where entry.isLive {
            saved.groups.append(
                .init(key: entry.values, since: entry.state.since, seen: entry.state.seen, firing: entry.state.firing))
        }
        return saved
    }

    /// Takes the groups of a snapshot made by a rule grouping by the same names; call before
    /// feeding records. Timers are armed again; a firing group stays firing (no second signal).
    mutating func restore(_ saved: AbsenceSnapshot.Rule) {
        guard saved.groupBy == rule.groupBy.names else { return }
        startedAt = saved.startedAt ?? startedAt
        for group in saved.groups where group.key.map(\.name) == rule.groupBy.names {
            let slot = groups.slot(
                for: rule.groupBy.key(ofValues: group.key.map(\.value)), at: group.since, values: { group.key },
                make: { GroupState(since: group.since, seen: group.seen, firing: group.firing) })
            if !group.firing { arm(slot: slot, at: deadline(since: group.since)) }
        }
    }
}
