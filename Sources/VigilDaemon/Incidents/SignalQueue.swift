import Metrics
import Synchronization
import VigilDetect

/// Signals on their way from the detectors to the incident store: the detection service appends,
/// the incident service takes everything waiting at once (one transaction per take), and is woken
/// by the next append rather than polling. Bounded: past `capacity` signals are dropped and
/// counted, so a store that stalls cannot make memory grow without limit.
final class SignalQueue: Sendable {
    /// A signal and when it was queued (for the signal-to-commit latency).
    struct Entry: Sendable {
        var signal: Signal
        var queuedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Entry] = []
        var waiter: CheckedContinuation<[Entry]?, Never>?
        var finished = false
        var dropped = 0
        var lastWarning: ContinuousClock.Instant?
    }

    let capacity: Int
    private let state = Mutex(State())
    private let droppedCounter = Counter(label: "vigil_incident_signals_dropped_total")

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Queues `signals`. Returns how many did not fit when some did not and no such report was
    /// made in the last minute (so the caller logs at most once a minute), else 0.
    @discardableResult
    func append(_ signals: [Signal]) -> Int {
        guard !signals.isEmpty else { return 0 }
        let now = ContinuousClock.now
        typealias Outcome = (waiter: CheckedContinuation<[Entry]?, Never>?, batch: [Entry], dropped: Int, warn: Bool)
        let outcome: Outcome = state.withLock { state in
            let room = max(0, capacity - state.entries.count)
            let taken = signals.prefix(room).map { Entry(signal: $0, queuedAt: now) }
            let dropped = signals.count - taken.count
            state.dropped += dropped
            var warn = false
            if dropped > 0, state.lastWarning.map({ now - $0 >= .seconds(60) }) ?? true {
                state.lastWarning = now
                warn = true
            }
            guard let waiter = state.waiter else {
                state.entries.append(contentsOf: taken)
                return (nil, [], dropped, warn)
            }
            state.waiter = nil
            let batch = state.entries + taken
            state.entries = []
            return (waiter, batch, dropped, warn)
        }
        outcome.waiter?.resume(returning: outcome.batch)
        if outcome.dropped > 0 { droppedCounter.increment(by: outcome.dropped) }
        return outcome.warn ? outcome.dropped : 0
    }

    /// Everything queued, waiting for the first signal when there is none; `nil` once `finish()`
    /// was called and nothing is left. One consumer at a time.
    func next() async -> [Entry]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Entry]?, Never>) in
            let ready: [Entry]?? = state.withLock { state in
                if !state.entries.isEmpty {
                    defer { state.entries = [] }
                    return .some(state.entries)
                }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// No more signals will come; the consumer gets what is left, then `nil`.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[Entry]?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Signals dropped because the queue was full.
    var dropped: Int { state.withLock { $0.dropped } }
}
