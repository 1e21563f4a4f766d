import VigilCore

/// Runs one rule: a sliding-window count per group key, with `for` and resolution timers.
///
/// Records must arrive in event-time order (the engine's reorder buffer sees to that); timers fire
/// before any record at or after their deadline, so the outcome depends only on the ordered input.
///
/// **Eager firing.** "More than `threshold` in a window" can only become true as records are added,
/// so a rule without `for` need not wait for the watermark to fire. The engine also hands it every
/// matching record the reorder buffer admits (`admit(_:)`), kept in `pending` until released, and
/// then calls `announceIfHeld`: when a window counting the released matches and the pending ones
/// holds more than `threshold`, and the group is idle, the rule fires at once with the fields the
/// in-order evaluation will find for the earliest such window (for input in event-time order, the
/// very same fields). The group is marked *announced*, and when the in-order evaluation reaches
/// that episode it turns to firing without a second signal. Resolution, `for` and everything else
/// still follow the watermark.
///
/// Only admitted records count, and the in-order evaluation later sees them all (plus any that
/// arrive later, which can only add to a window), so it fires no later than the announced window
/// ends: one firing per episode. The exception is a group evicted from `groups` (more than
/// `max_streams` groups) before it gets there, which loses its window as it does today.
struct RuleEvaluator {
    /// The rule.
    let rule: RuleConfiguration
    private let evidenceLimit: Int
    private let windowText: String
    /// The groups.
    private(set) var groups: StreamTable<RuleGroupState>
    private var timers = DeadlineQueue()
    /// Whether the rule fires on admission (it has no `for`, and the engine asks for it).
    let firesEagerly: Bool
    /// Admitted matches not released yet, per group (empty unless `firesEagerly`).
    private(set) var pending = PendingMatches()

    /// An evaluator for `rule`, keeping at most `maxGroups` groups and `evidenceLimit` records each;
    /// with `eager`, a rule without `for` fires on admission.
    init(rule: RuleConfiguration, maxGroups: Int, evidenceLimit: Int, eager: Bool = true) {
        self.rule = rule
        self.evidenceLimit = evidenceLimit
        windowText = DurationParser.format(rule.window)
        groups = StreamTable(capacity: maxGroups)
        firesEagerly = eager && rule.holdFor == 0
    }

    /// The earliest pending timer deadline.
    var nextDeadline: Int64 { timers.nextDeadline }

    /// Tests `record`, just admitted to the reorder buffer; when it matches and the rule fires
    /// eagerly, notes it as pending. Returns whether it matches, and its group's slot in `pending`
    /// (for `announceIfHeld`; -1 unless the rule fires eagerly).
    ///
    /// Mutating, like `processIfMatches`, so that the caller reaches the evaluator in its array in
    /// place rather than through a copy.
    @inline(__always)
    mutating func admit(_ record: LogRecord) -> (matches: Bool, pendingSlot: Int) {
        guard rule.match.matches(record) else { return (false, -1) }
        guard firesEagerly else { return (true, -1) }
        return (true, pending.insert(record, key: rule.groupBy.key(of: record)))
    }

    /// Counts `record`, released in event-time order, if it matches (see `process`).
    @inline(__always)
    mutating func processIfMatches(_ record: LogRecord, into output: inout SignalOutput) {
        if rule.match.matches(record) { process(record, into: &output) }
    }

    /// Counts `record`, which matches and is released in event-time order; fires when the count
    /// exceeds the threshold and the rule has no `for` (silently if the episode was announced).
    @inline(__always)
    mutating func process(_ record: LogRecord, into output: inout SignalOutput) {
        let time = record.time
        let groupBy = rule.groupBy
        let threshold = rule.threshold, limit = evidenceLimit
        let key = groupBy.key(of: record)
        let slot = groups.slot(
            for: key, at: time, values: { groupBy.values(of: record) },
            make: { RuleGroupState(threshold: threshold, evidenceLimit: limit) })
        var pendingSlot = -1, announced = false
        if firesEagerly { (pendingSlot, announced) = pending.removeFirst(key: key, time: time) }
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
                fire(slot: slot, state: &state, at: time, into: &output, timed: false, emits: !announced)
                if announced, pendingSlot >= 0 { pending.groups[pendingSlot].announced = false }
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

    /// Fires now for group `slot` of `pending` if a window ending at one of its pending matches
    /// holds more than `threshold` matches, released or pending, and the group is idle and not
    /// announced; the signal is the one the in-order evaluation will produce for the earliest such
    /// window. `admitted` is the time of a match just admitted: unless the group was marked
    /// unchecked, only windows that can hold it are looked at (the others were looked at before);
    /// `nil` looks only if unchecked. The signal is emitted as a timer's when `deadline` is given.
    ///
    /// Costs a lookup, then for a match admitted in order one window; a full scan of the group's
    /// pending matches happens at most once per group after each episode (`unchecked`).
    mutating func announceIfHeld(
        pendingSlot: Int, admitted: Int64?, dueAt deadline: Int64?, into output: inout SignalOutput
    ) {
        let p = pendingSlot
        guard pending.groups[p].isLive else { return }
        let released = groups.slot(of: pending.groups[p].key)
        var eligible = !pending.groups[p].announced
        if let released, groups.entries[released].state.phase != .idle { eligible = false }
        guard eligible else {
            pending.groups[p].unchecked = true
            return
        }
        let window = rule.window, threshold = rule.threshold
        var position: Int, last = Int64.max
        if pending.groups[p].unchecked {
            position = pending.groups[p].head
        } else if let admitted {
            position = pending.lowerBound(admitted, in: p)
            let (bound, overflow) = admitted.addingReportingOverflow(window)
            if !overflow { last = bound }
        } else {
            return
        }
        pending.groups[p].unchecked = false
        let head = pending.groups[p].head, end = pending.groups[p].times.count
        while position < end {
            let time = pending.groups[p].times[position]
            if time > last { return }
            // The match `threshold` places before this one, among the released then the pending.
            let pendingBefore = position - head
            let oldest: Int64?
            if threshold <= pendingBefore {
                oldest = pending.groups[p].times[position - threshold]
            } else {
                oldest = released.flatMap { groups.entries[$0].state.recentTime(threshold - pendingBefore - 1) }
            }
            if let oldest, oldest >= time &- window {
                announce(pendingSlot: p, at: position, start: oldest, released: released, dueAt: deadline, into: &output)
                return
            }
            position += 1
        }
    }

    /// Fires for the window ending at pending match `position` of group `p`, starting at `start`.
    private mutating func announce(
        pendingSlot p: Int, at position: Int, start: Int64, released: Int?, dueAt deadline: Int64?,
        into output: inout SignalOutput
    ) {
        pending.groups[p].announced = true
        // The matches after this one were not looked at: the next episode needs a full scan.
        pending.groups[p].unchecked = true
        guard output.isEnabled else { return }
        let crossing = pending.groups[p].records[position]
        var evidence: [Evidence] = []
        if evidenceLimit > 0 {
            let fromPending = min(evidenceLimit, position - pending.groups[p].head + 1)
            if fromPending < evidenceLimit, let released {
                evidence = Array(groups.entries[released].state.recentEvidence.suffix(evidenceLimit - fromPending))
            }
            for index in (position - fromPending + 1)...position {
                evidence.append(Evidence(pending.groups[p].records[index]))
            }
        }
        let firing = signal(
            values: released.map { groups.entries[$0].values } ?? rule.groupBy.values(of: crossing),
            start: start, end: crossing.time, count: rule.threshold + 1, status: .firing, evidence: evidence)
        if let deadline { output.emit(firing, dueAt: deadline) } else { output.emit(firing) }
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
            var resolved = false
            switch state.phase {
            case .idle:
                break
            case .pending(let since):
                if now < since &+ rule.holdFor {
                    arm(slot: slot, state: &state, at: since &+ rule.holdFor)
                } else if state.holds(at: now, window: rule.window) {
                    fire(slot: slot, state: &state, at: now, into: &output, timed: true, emits: true)
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
                    resolved = true
                }
            }
            groups.entries[slot].state = state
            // Matches admitted while the group was firing may already make up the next episode.
            if resolved, firesEagerly, let p = pending.slot(of: groups.entries[slot].key) {
                announceIfHeld(pendingSlot: p, admitted: nil, dueAt: now, into: &output)
            }
        }
    }

    private mutating func arm(slot: Int, state: inout RuleGroupState, at deadline: Int64) {
        guard deadline < state.armedDeadline else { return }
        state.armedDeadline = deadline
        timers.push(.init(deadline: deadline, slot: Int32(truncatingIfNeeded: slot), generation: groups.entries[slot].generation))
    }

    /// Moves group `slot` to firing and sets its resolution timer; emits the firing signal unless
    /// `emits` is false (the episode was announced on admission).
    private mutating func fire(
        slot: Int, state: inout RuleGroupState, at time: Int64, into output: inout SignalOutput, timed: Bool, emits: Bool
    ) {
        state.phase = .firing
        if emits {
            let firing = signal(slot: slot, state: state, status: .firing, end: time)
            if timed { output.emit(firing, dueAt: time) } else { output.emit(firing) }
        }
        arm(slot: slot, state: &state, at: state.holdsUntil &+ rule.window &+ 1)
    }

    private func signal(slot: Int, state: RuleGroupState, status: SignalStatus, end: Int64) -> Signal {
        signal(
            values: groups.entries[slot].values, start: state.episodeStart, end: end, count: state.episodeCount,
            status: status, evidence: status == .firing ? state.recentEvidence : [])
    }

    private func signal(
        values: [GroupValue], start: Int64, end: Int64, count: Int, status: SignalStatus, evidence: [Evidence]
    ) -> Signal {
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
            start: start, end: end, count: count, score: Double(count) / Double(rule.threshold + 1),
            status: status, evidence: evidence)
    }
}
