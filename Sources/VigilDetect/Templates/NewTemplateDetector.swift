import VigilCore

/// The new-template detector (see `NewTemplateDetectorConfiguration`), wrapping the template miner.
///
/// - A template created after the warm-up is *watched* for `window`: when it reaches `min_count`
///   occurrences it fires `new_template` once (key: its id; evidence: its first messages).
/// - While a template has been seen fewer than `rare_count + burst_count` times, its latest
///   `burst_count` occurrence times are kept; if they all fall within `burst_window`, the template
///   had fewer than `rare_count` occurrences before, and it is not itself new, `template_burst` fires.
///
/// Both are decided on the record that completes the condition, so no timers are needed.
struct NewTemplateDetector {
    /// The configuration.
    let configuration: NewTemplateDetectorConfiguration
    private let evidenceLimit: Int
    /// The miner.
    private(set) var miner: TemplateMiner
    private var watches: [TemplateWatch] = []
    /// End of the warm-up: event time before which new templates are only learnt.
    private var warmUntil: Int64?

    /// A detector keeping `evidenceLimit` records per signal.
    init(configuration: NewTemplateDetectorConfiguration, evidenceLimit: Int) {
        self.configuration = configuration
        self.evidenceLimit = evidenceLimit
        miner = TemplateMiner(configuration: configuration.miner)
    }

    /// Replaces the miner's templates; restored templates count as known, and the warm-up is
    /// skipped when there are any.
    mutating func restore(_ snapshot: TemplateSnapshot) {
        miner.restore(snapshot)
        watches = []
        if miner.count > 0 { warmUntil = .min }
    }

    /// The template id of `message`, without learning it.
    mutating func templateID(for message: String) -> Int? { miner.templateID(for: message) }

    /// Learns `record`'s message and fires for new or bursting templates.
    @inline(__always)
    mutating func process(_ record: LogRecord, into output: inout SignalOutput) {
        let time = record.time
        if warmUntil == nil { warmUntil = time &+ configuration.warmUp }
        let match = miner.learn(record.message, service: record.service, time: time)
        let slot = match.slot
        while watches.count <= slot { watches.append(TemplateWatch()) }
        if match.isNew {
            watches[slot] = TemplateWatch(createdAt: time, isWatched: time >= warmUntil!)
        }
        if watches[slot].isWatched {
            watchNew(slot: slot, record: record, id: match.id, into: &output)
        } else if configuration.burstCount > 0 {
            watchRare(slot: slot, record: record, id: match.id, into: &output)
        }
    }

    private mutating func watchNew(slot: Int, record: LogRecord, id: Int, into output: inout SignalOutput) {
        let time = record.time
        guard time &- watches[slot].createdAt <= configuration.window else {
            watches[slot].isWatched = false
            watches[slot].evidence = []
            return
        }
        watches[slot].occurrences += 1
        if watches[slot].evidence.count < evidenceLimit { watches[slot].evidence.append(Evidence(record)) }
        guard watches[slot].occurrences >= configuration.minimumCount else { return }
        let info = miner.info(slot: slot)
        let count = watches[slot].occurrences
        output.emit(
            Signal(
                detector: .newTemplate, name: "new_template", key: Self.key(id),
                severity: configuration.severity,
                title: "new log template in \(info.service.isEmpty ? "(no service)" : info.service): \(Self.shortened(info.template))",
                start: watches[slot].createdAt, end: time, count: count,
                score: Double(count) / Double(configuration.minimumCount), status: .firing,
                evidence: watches[slot].evidence))
        watches[slot].isWatched = false
        watches[slot].evidence = []
    }

    private mutating func watchRare(slot: Int, record: LogRecord, id: Int, into output: inout SignalOutput) {
        let burst = configuration.burstCount
        let occurrences = miner.occurrences(slot: slot)
        guard occurrences < configuration.rareCount + burst else {
            if !watches[slot].recentTimes.isEmpty {
                watches[slot].recentTimes = []
                watches[slot].evidence = []
            }
            return
        }
        let time = record.time
        if watches[slot].recentTimes.count < burst {
            watches[slot].recentTimes.append(time)
        } else {
            watches[slot].recentTimes[watches[slot].nextRecent] = time
            watches[slot].nextRecent = (watches[slot].nextRecent + 1) % burst
        }
        if evidenceLimit > 0 {
            if watches[slot].evidence.count == evidenceLimit { watches[slot].evidence.removeFirst() }
            watches[slot].evidence.append(Evidence(record))
        }
        guard !watches[slot].burstReported, watches[slot].recentTimes.count == burst,
            time >= warmUntil!,
            occurrences - burst < configuration.rareCount
        else { return }
        let oldest = watches[slot].recentTimes[watches[slot].nextRecent]
        guard time &- oldest <= configuration.burstWindow, watches[slot].createdAt < oldest else { return }
        watches[slot].burstReported = true
        let info = miner.info(slot: slot)
        output.emit(
            Signal(
                detector: .newTemplate, name: "template_burst", key: Self.key(id), severity: configuration.severity,
                title: "rare log template burst (\(burst) in \(DurationParser.format(time &- oldest))) in \(info.service.isEmpty ? "(no service)" : info.service): \(Self.shortened(info.template))",
                start: oldest, end: time, count: burst, score: Double(burst) / Double(max(1, info.count - burst)),
                status: .firing, evidence: watches[slot].evidence))
    }

    private static func key(_ id: Int) -> [GroupValue] { [GroupValue(name: "template", value: String(id))] }

    /// Template text cut to 200 characters for titles.
    static func shortened(_ template: String) -> String {
        template.count <= 200 ? template : String(template.prefix(199)) + "…"
    }
}
