import VigilCore

/// A min-heap of timers: a deadline in event time and the slot (and slot generation) it belongs to.
///
/// Timers are never cancelled; the owner checks, when one pops, whether the slot still wants it
/// (same generation, same deadline) and otherwise drops or re-arms it. Equal deadlines pop in slot
/// order, so the order of firing does not depend on insertion history.
struct DeadlineQueue {
    /// One timer.
    struct Timer: Equatable {
        /// Event time (ns) at which the timer is due: it fires before any record at or after it.
        var deadline: Int64
        /// The owner's slot.
        var slot: Int32
        /// The slot's generation when the timer was set.
        var generation: UInt32
    }

    private var heap = Heap<Timer> { a, b in a.deadline != b.deadline ? a.deadline < b.deadline : a.slot < b.slot }

    /// Whether no timer is pending.
    var isEmpty: Bool { heap.isEmpty }
    /// The earliest deadline, or `Int64.max` when empty.
    var nextDeadline: Int64 { heap.first?.deadline ?? .max }
    /// The number of pending timers.
    var count: Int { heap.count }

    /// Adds a timer.
    mutating func push(_ timer: Timer) {
        heap.push(timer)
    }

    /// Removes and returns the earliest timer if it is due at or before `time`.
    mutating func popDue(atOrBefore time: Int64) -> Timer? {
        guard let first = heap.first, first.deadline <= time else { return nil }
        return heap.pop()
    }

    /// Removes every timer.
    mutating func removeAll() { heap.removeAll() }
}
