import Synchronization

/// Lets at most `limit` holders in at once; the others wait in arrival order, each for at most its
/// own deadline.
///
/// The HTTP input passes every request through one before decoding its body, so the memory of
/// decoded records waiting to become durable is bounded by `limit` requests however many
/// connections post at once (a waiting request holds only its compact body).
public final class AdmissionGate: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var inside = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    /// How many holders may be inside at once.
    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Holders inside now.
    public var inside: Int { state.withLock { $0.inside } }

    /// Enters, waiting at most `timeout` for a place; `false` when the wait ran out. Every `true`
    /// must be paired with one `leave()`.
    public func enter(waitingAtMost timeout: Duration) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let queued = state.withLock { state -> UInt64? in
                if state.inside < limit {
                    state.inside += 1
                    return nil
                }
                state.nextID += 1
                state.waiters.append(Waiter(id: state.nextID, continuation: continuation))
                return state.nextID
            }
            guard let id = queued else {
                continuation.resume(returning: true)
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state -> Waiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                expired?.continuation.resume(returning: false)
            }
        }
    }

    /// Leaves, handing the place to the longest waiter if there is one.
    public func leave() {
        let next = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty {
                state.inside -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume(returning: true)
    }
}
