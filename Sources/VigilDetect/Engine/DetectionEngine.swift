import VigilCore

/// Runs every rule and detector over records in event time and returns signals.
///
/// One owner drives an engine (it is not `Sendable`): the daemon feeds the batches the store has
/// committed, `vigil replay` feeds sorted history; both get the same signals.
///
/// **Event time.** Records are ordered by their `time` behind a watermark (the newest event time
/// minus `lateness`). A record older than the watermark on arrival is *late*: counted in
/// `counters.lateRecords` and left out. Others wait in a reorder buffer and reach the detectors in
/// event-time order as the watermark passes them, so input shuffled within the lateness gives
/// the same signals, in the same order, as the sorted input (rule firings aside, see below). Timers
/// (bucket ends, `for`, windows draining) fire as event time passes them, before any record at or
/// after their deadline. Use `advance(to:)` with the wall clock when input may pause (so silence is
/// noticed), and `flush()` at the end of a replay.
///
/// **Rules fire eagerly.** "More than `threshold` in a window" only becomes truer as records come
/// in, so a rule without `for` does not wait for the watermark: it fires in the `process` call that
/// admits the record that makes one of its windows hold more than `threshold` matching records,
/// counting those already released and those still buffered (never late ones). For input in
/// event-time order (a replay, the daemon's usual case) the firing signal is the one the in-order
/// evaluation would give (same window, count, evidence and title), only returned earlier: up to
/// `lateness` earlier, ahead of signals for the records and timers in between. When the released
/// records reach that episode, no second firing is emitted; its resolution (the window draining),
/// rules with `for` and the statistical detectors still follow the watermark. For shuffled input a
/// firing may show the window as seen when it fired (a record arriving later can make the in-order
/// window start or end earlier), but there is still one firing per episode, followed by one
/// resolved signal identical to the sorted input's. A group whose previous episode has not resolved
/// by the watermark yet fires when it has.
///
/// **Restarts.** Call `restoreTemplates(_:)` and `restoreAbsence(_:)` with the last snapshots, then `warmUp(_:)` with the
/// tail of the store: the detectors rebuild their windows and baselines without emitting, and
/// conditions that were already firing stay quiet (a rule episode that fired eagerly during the
/// warm-up included). Do not `flush()` at shutdown: records still in the reorder buffer were not
/// evaluated and are evaluated after the restart instead.
///
/// **Memory.** Bounded by `max_streams` per rule and detector, `max_templates`, and `max_buffered`
/// records (`vigil-detect-bench` measures the cost per stream key: bench/RESULTS.md); a rule group
/// costs `8 × (threshold + 1)` bytes of times plus its evidence. A rule without `for` also keeps,
/// for each buffered record it matches, a copy of the record sharing its storage and its time
/// (`PendingMatches`): at most `max_buffered` per rule.
public final class DetectionEngine {
    /// The configuration the engine was built from.
    public private(set) var configuration: DetectionConfiguration
    /// All state lives in one value, so each call makes one exclusive access rather than one per
    /// record and field.
    private var pipeline: DetectionPipeline

    /// An engine running the enabled rules and detectors of `configuration`.
    public init(configuration: DetectionConfiguration = DetectionConfiguration()) {
        self.configuration = configuration
        pipeline = DetectionPipeline(configuration: configuration)
    }

    // MARK: - Feeding

    /// Takes one record; returns the signals that became due (possibly for earlier records, as the
    /// watermark moves on).
    public func process(_ record: LogRecord) -> [Signal] {
        pipeline.process(CollectionOfOne(record))
    }

    /// Takes a batch of records; returns the signals that became due.
    public func process(_ records: [LogRecord]) -> [Signal] {
        pipeline.process(records)
    }

    /// Takes a batch of records; returns the signals that became due.
    public func process(_ records: ArraySlice<LogRecord>) -> [Signal] {
        pipeline.process(records)
    }

    /// Takes records from any sequence; returns the signals that became due.
    public func process(_ records: some Sequence<LogRecord>) -> [Signal] {
        pipeline.process(records)
    }

    /// Records stamped more than `max_ahead` past `now` (the wall clock, ns) are not evaluated: a
    /// sender whose clock or time zone is wrong would otherwise drag event time ahead and make
    /// everything after it late. The daemon and `vigil replay` both pass batches through this before
    /// `process` or `warmUp`, so they evaluate the same records. Returns the records to evaluate,
    /// how many were left out, and the first of those (for a warning).
    public func withinClock(_ records: [LogRecord], now: Int64) -> (records: [LogRecord], leftOut: Int, firstAhead: LogRecord?) {
        let limit = now &+ configuration.maxAhead
        guard let ahead = records.first(where: { $0.time > limit }) else { return (records, 0, nil) }
        let kept = records.filter { $0.time <= limit }
        return (kept, records.count - kept.count, ahead)
    }

    /// Takes a reloaded configuration (SIGHUP): rules and detectors whose settings did not change
    /// keep their state, and the records held for lateness stay held; changed and new ones start
    /// empty. `lateness`, `max_buffered`, `max_streams`, `evidence` and `max_ahead` keep their
    /// running values, listed in `needRestart` when they differ.
    @discardableResult
    public func reconfigure(to next: DetectionConfiguration) -> DetectionChanges {
        var changes = pipeline.reconfigure(to: next)
        var applied = next
        let running = configuration
        if next.lateness != running.lateness { changes.needRestart.append("lateness") }
        if next.maxBuffered != running.maxBuffered { changes.needRestart.append("max_buffered") }
        if next.maxStreams != running.maxStreams { changes.needRestart.append("max_streams") }
        if next.evidence != running.evidence { changes.needRestart.append("evidence") }
        if next.maxAhead != running.maxAhead { changes.needRestart.append("max_ahead") }
        applied.lateness = running.lateness
        applied.maxBuffered = running.maxBuffered
        applied.maxStreams = running.maxStreams
        applied.evidence = running.evidence
        applied.maxAhead = running.maxAhead
        configuration = applied
        return changes
    }

    /// Declares that event time has reached `time` (use the wall clock, ns, when input may pause):
    /// the watermark moves to `time - lateness` if that is later, releasing records and firing
    /// timers. Records older than the new watermark will be late.
    public func advance(to time: Int64) -> [Signal] {
        pipeline.advance(to: time)
    }

    /// Releases every buffered record and fires the timers due by then (end of a replay). Records
    /// not newer than the newest seen are late afterwards.
    public func flush() -> [Signal] {
        pipeline.flush()
    }

    /// Feeds `records` (e.g. the tail of the store after a restart) without emitting signals: rule
    /// windows, baselines and templates are rebuilt, and conditions already met stay quiet. These
    /// records are not added to `counters.records`.
    public func warmUp(_ records: some Sequence<LogRecord>) {
        pipeline.warmUp(records)
    }

    // MARK: - State

    /// The counters.
    public var counters: DetectionCounters { pipeline.counters }

    /// The mined templates, by id (empty when the new-template detector is off).
    public var templates: [TemplateInfo] { pipeline.newTemplates?.miner.templates ?? [] }

    /// The id of the template `message` belongs to, without learning from it; `nil` when it would
    /// start a new template or the detector is off.
    public func templateID(for message: String) -> Int? { pipeline.newTemplates?.templateID(for: message) }

    /// The templates as a snapshot to persist (`nil` when the new-template detector is off).
    public func templateSnapshot() -> TemplateSnapshot? { pipeline.newTemplates?.miner.snapshot() }

    /// The `absent` rules' groups (silence starts, firing or not) as a snapshot to persist.
    public func absenceSnapshot() -> AbsenceSnapshot { pipeline.absenceSnapshot() }

    /// Restores the `absent` rules' groups from a persisted snapshot (rules with the same name and
    /// `group_by`); a group that was firing stays firing without a second signal. Call before
    /// feeding records.
    public func restoreAbsence(_ snapshot: AbsenceSnapshot) {
        pipeline.restoreAbsence(snapshot)
    }

    /// Replaces the templates with a persisted snapshot; its templates count as known and the
    /// detector's warm-up is skipped when it has any. Call before feeding records.
    public func restoreTemplates(_ snapshot: TemplateSnapshot) {
        pipeline.newTemplates?.restore(snapshot)
    }
}
