import VigilCore

/// Runs one rule: a sliding-window count per group key, with `for` and resolution timers.
///
/// Records must arrive in event-time order (the engine's reorder buffer sees to that); timers fire
/// before any record at or after their deadline, so the outcome depends only on the ordered input.
struct RuleEvaluator {
    /// The rule.
    let rule: RuleConfiguration
    private let evidenceLimit: Int
    private let windowText: String
    /// The groups.
    private(set) var groups: StreamTable<RuleGroupState>
    private var timers = DeadlineQueue()

    /// An evaluator for `rule`, keeping at most `maxGroups` groups and `evidenceLimit` records each.
    init(rule: RuleConfiguration, maxGroups: Int, evidenceLimit: Int) {
        self.rule = rule
        self.evidenceLimit = evidenceLimit
        windowText = DurationParser.format(rule.window)
        groups = StreamTable(capacity: maxGroups)
    }

    /// The earliest pending timer deadline.
    var nextDeadline: Int64 { timers.nextDeadline }

    /// Whether `record` counts for the rule.
    @inline(__always)
    func matches(_ record: LogRecord) -> Bool { rule.match.matches(record) }

    /// Counts `record`, which `matches`; fires immediately when the count exceeds the threshold and
    /// the rule has no `for`.
    @inline(__always)
    mutating func process(_ record: LogRecord, into output: inout SignalOutput) {
        let time = record.time
        let groupBy = rule.groupBy
        let threshold = rule.threshold, limit = evidenceLimit
        let slot = groups.slot(
            for: groupBy.key(of: record), at: time, values: { groupBy.values(of: record) },
            make: { RuleGroupState(threshold: threshold, evidenceLimit: limit) })
        let window = rule.window
        let heldBefore = groups.entries[slot].state.holds(at: time, window: window)
        groups.entries[slot].state.add(record)
        let holds = groups.entries[slot].state.holds(at: time, window: window)
        var state = groups.entries[slot].state
        defer { groups.entries[slot].state = state }
        if holds { state.holdsUntil = max(state.holdsUntil, state.oldestOfLast! &+ window) }
        switch state.phase {
        case .idle:
            guard holds else { return }
            state.episodeStart = state.oldestOfLast!
            state.episodeCount = threshold + 1
            if rule.holdFor == 0 {
                fire(slot: slot, state: &state, at: time, into: &output, timed: false)
            } else {
                state.phase = .pending(since: time)
                arm(slot: slot, state: &state, at: time &+ rule.holdFor)
            }
        case .pending:
            state.episodeCount += 1
            if !holds {
                state.phase = .idle
            } else if !heldBefore {
                state.phase = .pending(since: time)
                state.episodeStart = state.oldestOfLast!
                state.episodeCount = threshold + 1
                arm(slot: slot, state: &state, at: time &+ rule.holdFor)
            }
        case .firing:
            state.episodeCount += 1
        }
    }

    /// Runs the timers due at or before `time`.
    mutating func advance(to time: Int64, into output: inout SignalOutput) {
        while let timer = timers.popDue(atOrBefore: time) {
            guard groups.isCurrent(slot: timer.slot, generation: timer.generation) else { continue }
            let slot = Int(timer.slot)
            var state = groups.entries[slot].state
            guard state.armedDeadline == timer.deadline else { continue }
            state.armedDeadline = .max
            let now = timer.deadline
            switch state.phase {
            case .idle:
                break
            case .pending(let since):
                if now < since &+ rule.holdFor {
                    arm(slot: slot, state: &state, at: since &+ rule.holdFor)
                } else if state.holds(at: now, window: rule.window) {
                    fire(slot: slot, state: &state, at: now, into: &output, timed: true)
                } else {
                    state.phase = .idle
                }
            case .firing:
                let due = state.holdsUntil &+ rule.window &+ 1
                if now < due {
                    arm(slot: slot, state: &state, at: due)
                } else {
                    state.phase = .idle
                    output.emit(signal(slot: slot, state: state, status: .resolved, end: due &- 1), dueAt: now)
                }
            }
            groups.entries[slot].state = state
        }
    }

    private mutating func arm(slot: Int, state: inout RuleGroupState, at deadline: Int64) {
        guard deadline < state.armedDeadline else { return }
        state.armedDeadline = deadline
        timers.push(.init(deadline: deadline, slot: Int32(truncatingIfNeeded: slot), generation: groups.entries[slot].generation))
    }

    private mutating func fire(slot: Int, state: inout RuleGroupState, at time: Int64, into output: inout SignalOutput, timed: Bool) {
        state.phase = .firing
        let firing = signal(slot: slot, state: state, status: .firing, end: time)
        if timed { output.emit(firing, dueAt: time) } else { output.emit(firing) }
        arm(slot: slot, state: &state, at: state.holdsUntil &+ rule.window &+ 1)
    }

    private func signal(slot: Int, state: RuleGroupState, status: SignalStatus, end: Int64) -> Signal {
        let values = groups.entries[slot].values
        let count = state.episodeCount
        let title = rule.title.render { name in
            switch name {
            case "rule": rule.name
            case "count": String(count)
            case "window": windowText
            case "threshold": String(rule.threshold)
            case "key": values.map(\.value).joined(separator: ", ")
            default: values.first { $0.name == name }?.value
            }
        }
        return Signal(
            detector: .rule, name: rule.name, key: values, severity: rule.severity, title: title,
            start: state.episodeStart, end: end, count: count, score: Double(count) / Double(rule.threshold + 1),
            status: status, evidence: status == .firing ? state.recentEvidence : [])
    }
}
