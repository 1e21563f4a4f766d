/// Collects the signals of one engine call.
///
/// Signals caused by a record are emitted in record order. Signals caused by timers (a bucket
/// closing, a rule's `for` elapsing, a window draining) are collected per advance of event time and
/// then ordered by their deadline and fingerprint, so the sequence does not depend on how the advance
/// was split into steps: live traffic (advanced by the watermark) and a replay of the same records
/// produce the same list. While warming up, signals are dropped.
struct SignalOutput {
    /// Whether signals are kept (false while warming up).
    var isEnabled = true
    /// The signals so far, in order.
    private(set) var signals: [Signal] = []
    private var timed: [(deadline: Int64, signal: Signal)] = []

    /// Emits a signal caused by the record being processed.
    mutating func emit(_ signal: Signal) {
        if isEnabled { signals.append(signal) }
    }

    /// Emits a signal caused by a timer due at `deadline`.
    mutating func emit(_ signal: Signal, dueAt deadline: Int64) {
        if isEnabled { timed.append((deadline, signal)) }
    }

    /// Appends the timer signals collected since the last call, in (deadline, fingerprint, name) order.
    mutating func settleTimed() {
        guard !timed.isEmpty else { return }
        timed.sort {
            if $0.deadline != $1.deadline { return $0.deadline < $1.deadline }
            if $0.signal.fingerprint != $1.signal.fingerprint { return $0.signal.fingerprint < $1.signal.fingerprint }
            return $0.signal.status == .resolved && $1.signal.status == .firing
        }
        signals.append(contentsOf: timed.lazy.map(\.signal))
        timed.removeAll(keepingCapacity: true)
    }

    /// Returns the signals and starts over.
    mutating func take() -> [Signal] {
        settleTimed()
        defer { signals = [] }
        return signals
    }
}
