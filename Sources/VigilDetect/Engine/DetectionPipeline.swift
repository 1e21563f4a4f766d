import VigilCore

/// The state and event-time loop behind `DetectionEngine`: the reorder buffer, every rule and
/// detector, and the signal output. Records are released from the buffer in event-time order; before
/// each one, every detector fires the timers due by its time.
///
/// Rules are matched once, when a record is admitted: the first 64 rules' results travel with the
/// record through the buffer as a bit set (its tag), later rules match again on release.
///
/// Rules without `for` also see each matching record as it is admitted (`RuleEvaluator.admit`), and
/// once the buffer has released what the new watermark allows, they fire at once if a window now
/// holds more than their threshold (`RuleEvaluator.announceIfHeld`); see `DetectionEngine`.
struct DetectionPipeline {
    /// Rules whose match result fits in a record's tag.
    private static let taggedRules = UInt64.bitWidth

    private var buffer: ReorderBuffer
    private var rules: [RuleEvaluator]
    /// The `absent` rules.
    private var absences: [AbsenceEvaluator]
    private var rate: RateDetector?
    private var errorRatio: ErrorRatioDetector?
    /// The new-template detector, when enabled.
    var newTemplates: NewTemplateDetector?
    private var output = SignalOutput()
    private var records = 0
    private var lateRecords = 0
    /// The eager rules the record being admitted matched, with its group's slot in their pending
    /// matches: looked at once the buffer has released what it can.
    private var admittedMatches: [(rule: Int, slot: Int)] = []

    /// A pipeline for the enabled rules and detectors of `configuration`. With `eagerRules` false,
    /// rules fire only as records are released (the behaviour before eager firing, for comparison).
    // What the running detectors were built from, to tell on a reload what changed.
    private var rateConfiguration: RateDetectorConfiguration
    private var errorRatioConfiguration: ErrorRatioDetectorConfiguration
    private var newTemplateConfiguration: NewTemplateDetectorConfiguration
    private let maxStreams: Int
    private let evidenceLimit: Int

    init(configuration: DetectionConfiguration, eagerRules: Bool = true) {
        rateConfiguration = configuration.rate
        errorRatioConfiguration = configuration.errorRatio
        newTemplateConfiguration = configuration.newTemplate
        maxStreams = configuration.maxStreams
        evidenceLimit = configuration.evidence
        buffer = ReorderBuffer(lateness: configuration.lateness, capacity: configuration.maxBuffered)
        rules = configuration.rules.filter { $0.enabled && $0.kind == .count }.map {
            RuleEvaluator(
                rule: $0, maxGroups: configuration.maxStreams, evidenceLimit: configuration.evidence, eager: eagerRules)
        }
        absences = configuration.rules.filter { $0.enabled && $0.kind == .absent }.map {
            AbsenceEvaluator(rule: $0, maxGroups: configuration.maxStreams)
        }
        if configuration.rate.enabled {
            rate = RateDetector(
                configuration: configuration.rate, maxStreams: configuration.maxStreams,
                evidenceLimit: configuration.evidence)
        }
        if configuration.errorRatio.enabled {
            errorRatio = ErrorRatioDetector(
                configuration: configuration.errorRatio, maxStreams: configuration.maxStreams,
                evidenceLimit: configuration.evidence)
        }
        if configuration.newTemplate.enabled {
            newTemplates = NewTemplateDetector(configuration: configuration.newTemplate, evidenceLimit: configuration.evidence)
        }
    }

    /// See `DetectionEngine.process(_:)`.
    /// Takes a new configuration's rules and detectors, keeping the state (windows, groups,
    /// baselines, templates) of every rule and detector whose configuration did not change and the
    /// records held for lateness; changed and new ones start empty, removed ones are dropped.
    /// `lateness`, `max_buffered`, `max_streams` and `evidence` keep their running values (the
    /// caller says they need a restart). Returns what changed.
    mutating func reconfigure(to configuration: DetectionConfiguration, eagerRules: Bool = true) -> DetectionChanges {
        var changes = DetectionChanges()
        let old = rules
        let oldAbsences = absences
        let oldNames = Set(old.map(\.rule.name) + oldAbsences.map(\.rule.name))
        /// A rule that starts empty: changed if a rule of its name ran, else added.
        func started(_ name: String) {
            if oldNames.contains(name) { changes.changedRules.append(name) } else { changes.addedRules.append(name) }
        }
        var kept: [RuleEvaluator] = []
        var oldIndexOfNew: [Int?] = []
        for rule in configuration.rules.filter({ $0.enabled && $0.kind == .count }) {
            if let index = old.firstIndex(where: { $0.rule == rule }) {
                kept.append(old[index])
                oldIndexOfNew.append(index)
            } else {
                kept.append(RuleEvaluator(rule: rule, maxGroups: maxStreams, evidenceLimit: evidenceLimit, eager: eagerRules))
                oldIndexOfNew.append(nil)
                started(rule.name)
            }
        }
        absences = configuration.rules.filter { $0.enabled && $0.kind == .absent }.map { rule in
            if let same = oldAbsences.first(where: { $0.rule == rule }) { return same }
            started(rule.name)
            return AbsenceEvaluator(rule: rule, maxGroups: maxStreams)
        }
        let newNames = Set(kept.map(\.rule.name) + absences.map(\.rule.name))
        changes.removedRules = (old.map(\.rule.name) + oldAbsences.map(\.rule.name)).filter { !newNames.contains($0) }
        // The held records' tags name rules by index: move each kept rule's bit to its new index.
        var moves: [(from: Int, to: Int)] = []
        for (newIndex, oldIndex) in oldIndexOfNew.enumerated() {
            if let oldIndex, oldIndex < Self.taggedRules, newIndex < Self.taggedRules { moves.append((oldIndex, newIndex)) }
        }
        if moves.count != old.count || moves.contains(where: { $0.from != $0.to }) {
            buffer.retag { tag in
                var moved: UInt64 = 0
                for move in moves where tag & (1 &<< UInt64(move.from)) != 0 { moved |= 1 &<< UInt64(move.to) }
                return moved
            }
        }
        rules = kept
        if configuration.rate != rateConfiguration {
            rate = configuration.rate.enabled
                ? RateDetector(configuration: configuration.rate, maxStreams: maxStreams, evidenceLimit: evidenceLimit) : nil
            changes.detectors.append("rate")
        }
        if configuration.errorRatio != errorRatioConfiguration {
            errorRatio = configuration.errorRatio.enabled
                ? ErrorRatioDetector(configuration: configuration.errorRatio, maxStreams: maxStreams, evidenceLimit: evidenceLimit) : nil
            changes.detectors.append("error_ratio")
        }
        if configuration.newTemplate != newTemplateConfiguration {
            newTemplates = configuration.newTemplate.enabled
                ? NewTemplateDetector(configuration: configuration.newTemplate, evidenceLimit: evidenceLimit) : nil
            changes.detectors.append("new_template")
        }
        rateConfiguration = configuration.rate
        errorRatioConfiguration = configuration.errorRatio
        newTemplateConfiguration = configuration.newTemplate
        return changes
    }

    mutating func process(_ records: some Sequence<LogRecord>) -> [Signal] {
        for record in records {
            admit(record)
            release()
            if !admittedMatches.isEmpty { announceAdmitted(at: record.time) }
        }
        return output.take()
    }

    /// See `DetectionEngine.advance(to:)`.
    mutating func advance(to time: Int64) -> [Signal] {
        buffer.advance(to: time)
        release()
        return output.take()
    }

    /// See `DetectionEngine.flush()`.
    mutating func flush() -> [Signal] {
        buffer.releaseAll()
        release()
        return output.take()
    }

    /// See `DetectionEngine.warmUp(_:)`.
    mutating func warmUp(_ records: some Sequence<LogRecord>) {
        output.isEnabled = false
        let counted = (self.records, lateRecords)
        _ = process(records)
        (self.records, lateRecords) = counted
        output.isEnabled = true
    }

    @inline(__always)
    private mutating func admit(_ record: LogRecord) {
        records += 1
        guard record.time >= buffer.watermark else {
            lateRecords += 1
            return
        }
        var matched: UInt64 = 0
        for index in rules.indices {
            let tagged = index < Self.taggedRules
            guard tagged || rules[index].firesEagerly else { continue }
            let (matches, pendingSlot) = rules[index].admit(record)
            if matches, tagged { matched |= 1 &<< UInt64(index) }
            if pendingSlot >= 0 { admittedMatches.append((index, pendingSlot)) }
        }
        _ = buffer.insert(record, tag: matched)
    }

    /// Lets each eager rule that matched the record just admitted (at `time`) fire if its window
    /// now holds more than the threshold.
    private mutating func announceAdmitted(at time: Int64) {
        for (rule, slot) in admittedMatches {
            rules[rule].announceIfHeld(pendingSlot: slot, admitted: time, dueAt: nil, into: &output)
        }
        admittedMatches.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func release() {
        var matched: UInt64 = 0
        while let record = buffer.popReleasable(tag: &matched) { deliver(record, matched: matched) }
        advanceDetectors(to: buffer.watermark)
    }

    @inline(__always)
    private mutating func deliver(_ record: LogRecord, matched: UInt64) {
        advanceDetectors(to: record.time)
        for index in rules.indices {
            if index >= Self.taggedRules {
                rules[index].processIfMatches(record, into: &output)
            } else if matched & (1 &<< UInt64(index)) != 0 {
                rules[index].process(record, into: &output)
            }
        }
        for index in absences.indices { absences[index].processIfMatches(record, into: &output) }
        rate?.process(record)
        errorRatio?.process(record)
        newTemplates?.process(record, into: &output)
    }

    @inline(__always)
    private mutating func advanceDetectors(to time: Int64) {
        for index in rules.indices where rules[index].nextDeadline <= time {
            rules[index].advance(to: time, into: &output)
        }
        for index in absences.indices where absences[index].nextDeadline <= time {
            absences[index].advance(to: time, into: &output)
        }
        if let deadline = rate?.nextDeadline, deadline <= time { rate?.advance(to: time, into: &output) }
        if let deadline = errorRatio?.nextDeadline, deadline <= time { errorRatio?.advance(to: time, into: &output) }
        output.settleTimed()
    }

    /// See `DetectionEngine.absenceSnapshot()`.
    func absenceSnapshot() -> AbsenceSnapshot {
        var snapshot = AbsenceSnapshot()
        for absence in absences { snapshot.rules[absence.rule.name] = absence.snapshot() }
        return snapshot
    }

    /// See `DetectionEngine.restoreAbsence(_:)`.
    mutating func restoreAbsence(_ snapshot: AbsenceSnapshot) {
        for index in absences.indices {
            if let saved = snapshot.rules[absences[index].rule.name] { absences[index].restore(saved) }
        }
    }

    /// The rules' pending matches (buffered matching records), all rules together.
    var pendingMatches: Int { rules.reduce(0) { $0 + $1.pending.matches } }

    /// The rules' groups with pending matches, all rules together.
    var pendingGroups: Int { rules.reduce(0) { $0 + $1.pending.count } }

    /// The counters.
    var counters: DetectionCounters {
        var counters = DetectionCounters()
        counters.records = records
        counters.lateRecords = lateRecords
        counters.forcedReleases = buffer.forcedReleases
        counters.buffered = buffer.count
        counters.watermark = buffer.watermark == .min ? nil : buffer.watermark
        for rule in rules {
            counters.streams += rule.groups.count
            counters.evictedStreams += rule.groups.evictions
        }
        for absence in absences {
            counters.streams += absence.groups.count
            counters.evictedStreams += absence.groups.evictions
        }
        if let rate {
            counters.streams += rate.streams.count
            counters.evictedStreams += rate.streams.evictions
        }
        if let errorRatio {
            counters.streams += errorRatio.streams.count
            counters.evictedStreams += errorRatio.streams.evictions
        }
        if let miner = newTemplates?.miner {
            counters.templates = miner.count
            counters.evictedTemplates = miner.evictions
        }
        return counters
    }
}
