import Synchronization
import VigilDetect

/// Signals on their way from the detectors to the incident store: the detection service appends,
/// the incident service takes everything waiting at once (one transaction per take), and is woken
/// by the next append rather than polling. Bounded: past `capacity` signals are dropped and
/// counted, so a store that stalls cannot make memory grow without limit.
public final class SignalQueue: Sendable {
    /// A signal and when it was queued (for the signal-to-commit latency).
    public struct Entry: Sendable {
        /// The signal.
        public var signal: Signal
        /// When it was queued.
        public var queuedAt: ContinuousClock.Instant
    }

    /// What an append did.
    public struct Appended: Sendable, Hashable {
        /// Signals that did not fit.
        public var dropped: Int
        /// Whether this is the first drop in a minute (the caller logs it).
        public var shouldWarn: Bool

        /// Creates an outcome.
        public init(dropped: Int, shouldWarn: Bool) {
            self.dropped = dropped
            self.shouldWarn = shouldWarn
        }
    }

    private struct State {
        var entries: [Entry] = []
        var waiter: CheckedContinuation<[Entry]?, Never>?
        var finished = false
        var dropped = 0
        var lastWarning: ContinuousClock.Instant?
    }

    /// Signals held at most.
    public let capacity: Int
    private let state = Mutex(State())

    /// A queue holding at most `capacity` signals.
    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Queues `signals`; says how many did not fit, and whether that is worth a log line (at most
    /// one a minute).
    @discardableResult
    public func append(_ signals: [Signal]) -> Appended {
        guard !signals.isEmpty else { return Appended(dropped: 0, shouldWarn: false) }
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
        return Appended(dropped: outcome.dropped, shouldWarn: outcome.warn)
    }

    /// Everything queued, waiting for the first signal when there is none; `nil` once `finish()`
    /// was called and nothing is left. One consumer at a time.
    public func next() async -> [Entry]? {
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
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[Entry]?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Signals dropped because the queue was full.
    public var dropped: Int { state.withLock { $0.dropped } }
}
