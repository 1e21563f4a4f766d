import Metrics
import Synchronization

/// The open connections of one HTTP listener, and which to close when it is full.
///
/// Each connection is `fresh` (no request yet), `busy` (a request is being read or answered) or
/// `idle` (kept alive between requests). At `maximum`, a new connection evicts the fresh one that
/// has waited longest, else the idle one that has waited longest; when every connection is busy, the
/// new one is refused. So sockets that connect and send nothing can never lock out a real client.
/// Queues of candidates are kept in arrival order with stale entries skipped, so a choice costs
/// O(1) amortised however many connections are open.
final class HTTPConnectionRegistry: Sendable {
    /// Where a connection is.
    enum Phase: Sendable {
        case fresh, busy, idle
    }

    private struct Entry {
        var phase: Phase
        /// When it entered its phase, in registry order (smaller is older).
        var sequence: UInt64
        let close: @Sendable () -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var next: UInt64 = 0
        var fresh = CandidateQueue()
        var idle = CandidateQueue()
    }

    /// The cap.
    let maximum: Int
    private let state = Mutex(State())
    private let refused: Counter
    private let evicted: Counter
    private let open: Gauge

    /// A registry for the listener named `listener` (`http`, `api`) in the metrics.
    init(maximum: Int, listener: String) {
        self.maximum = maximum
        refused = Counter(label: "vigil_http_connections_refused_total", dimensions: [("listener", listener)])
        evicted = Counter(label: "vigil_http_connections_evicted_total", dimensions: [("listener", listener)])
        open = Gauge(label: "vigil_http_connections", dimensions: [("listener", listener)])
    }

    /// Admits a new connection (`close` closes it); returns its id, or `nil` when it is refused.
    /// Evicts a fresh or idle connection first when the listener is full.
    func admit(close: @escaping @Sendable () -> Void) -> UInt64? {
        let (id, victim, count): (UInt64?, (@Sendable () -> Void)?, Int) = state.withLock { state in
            var victim: (@Sendable () -> Void)?
            if state.entries.count >= maximum {
                guard let oldest = Self.oldest(in: &state.fresh, .fresh, state.entries) ?? Self.oldest(in: &state.idle, .idle, state.entries)
                else { return (nil, nil, state.entries.count) }
                victim = state.entries.removeValue(forKey: oldest)?.close
            }
            let id = state.next
            state.next += 1
            state.entries[id] = Entry(phase: .fresh, sequence: id, close: close)
            state.fresh.push(id: id, sequence: id)
            Self.dropStale(&state)
            return (id, victim, state.entries.count)
        }
        if let victim {
            evicted.increment()
            victim()
        }
        if id == nil { refused.increment() }
        open.record(count)
        return id
    }

    /// Records that connection `id` is now `phase`.
    func update(_ id: UInt64, to phase: Phase) {
        state.withLock { state in
            guard var entry = state.entries[id], entry.phase != phase else { return }
            let sequence = state.next
            state.next += 1
            entry.phase = phase
            entry.sequence = sequence
            state.entries[id] = entry
            if phase == .idle {
                state.idle.push(id: id, sequence: sequence)
                Self.dropStale(&state)
            }
        }
    }

    /// Forgets a closed connection.
    func closed(_ id: UInt64) {
        let count = state.withLock { state in
            state.entries.removeValue(forKey: id)
            return state.entries.count
        }
        open.record(count)
    }

    /// Open connections.
    var count: Int { state.withLock { $0.entries.count } }

    /// Below the cap nothing pops the queues, and every admitted connection and every finished
    /// request adds a candidate: past twice the open connections (and 1,024), keep only the
    /// candidates that still stand, so the queues stay as bounded as the connections.
    private static func dropStale(_ state: inout State) {
        let limit = 2 * state.entries.count + 1024
        guard state.fresh.count > limit || state.idle.count > limit else { return }
        let entries = state.entries
        func stands(_ phase: Phase) -> (UInt64, UInt64) -> Bool {
            { id, sequence in entries[id].map { $0.phase == phase && $0.sequence == sequence } ?? false }
        }
        if state.fresh.count > limit { state.fresh.keep(where: stands(.fresh)) }
        if state.idle.count > limit { state.idle.keep(where: stands(.idle)) }
    }

    /// Candidates kept in the two queues (tests).
    var candidates: Int { state.withLock { $0.fresh.count + $0.idle.count } }

    /// The oldest connection still in `phase` among the queue's candidates, dropping stale ones.
    private static func oldest(in queue: inout CandidateQueue, _ phase: Phase, _ entries: [UInt64: Entry]) -> UInt64? {
        while let candidate = queue.first {
            if let entry = entries[candidate.id], entry.phase == phase, entry.sequence == candidate.sequence {
                queue.removeFirst()
                return candidate.id
            }
            queue.removeFirst()
        }
        return nil
    }
}

/// A first-in, first-out queue of (connection, sequence) pairs: an array read from a moving head,
/// compacted when the read part outgrows the rest.
struct CandidateQueue {
    private var items: [(id: UInt64, sequence: UInt64)] = []
    private var head = 0

    mutating func push(id: UInt64, sequence: UInt64) {
        items.append((id, sequence))
    }

    var first: (id: UInt64, sequence: UInt64)? { head < items.count ? items[head] : nil }

    /// Candidates not yet read.
    var count: Int { items.count - head }

    /// Keeps only the unread candidates `stands` accepts, in order.
    mutating func keep(where stands: (_ id: UInt64, _ sequence: UInt64) -> Bool) {
        items = items[head...].filter { stands($0.id, $0.sequence) }
        head = 0
    }

    mutating func removeFirst() {
        head += 1
        if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
