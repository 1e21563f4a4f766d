/// A bounded table of per-stream state, keyed by a stream key (see `GroupBy.key(of:)`).
///
/// States live in an array of slots (so detectors iterate and mutate them in place, in a
/// deterministic order); a dictionary maps keys to slots. When the table is full, a new key evicts
/// the stream with the oldest last event time (an intrusive LRU list, O(1) per use), and the
/// eviction is counted. A reused slot gets a new `generation`, which invalidates timers set for the
/// evicted stream.
struct StreamTable<State> {
    /// One slot.
    struct Entry {
        /// The stream key.
        var key: String
        /// The group key as name/value pairs, for signals.
        var values: [GroupValue]
        /// The latest event time seen for the stream.
        var lastTime: Int64
        /// Incremented each time the slot is given to a new stream.
        var generation: UInt32
        /// Whether the slot holds a stream (false once freed).
        var isLive: Bool
        /// The detector's state.
        var state: State
    }

    /// The slots, live and free; iterate with `isLive`.
    var entries: [Entry] = []
    private var index: [String: Int32] = [:]
    private var freeSlots: [Int32] = []
    private var recency = LRUList()
    /// The most streams kept at once.
    let capacity: Int
    /// Streams evicted to make room so far.
    private(set) var evictions = 0

    /// An empty table holding at most `capacity` streams (at least one).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The number of live streams.
    var count: Int { index.count }

    /// The slot of the stream `key`, created with `make()` if new (evicting the least recently used
    /// stream when full), and marked used at `time` (records arrive in event-time order).
    @inline(__always)
    mutating func slot(
        for key: String, at time: Int64, values: () -> [GroupValue], make: () -> State
    ) -> Int {
        if let found = index[key] {
            let slot = Int(found)
            entries[slot].lastTime = time
            recency.touch(slot)
            return slot
        }
        if index.count >= capacity, recency.oldest >= 0 {
            remove(Int(recency.oldest))
            evictions += 1
        }
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = Int(reused)
            entries[slot] = Entry(
                key: key, values: values(), lastTime: time, generation: entries[slot].generation &+ 1,
                isLive: true, state: make())
        } else {
            slot = entries.count
            entries.append(Entry(key: key, values: values(), lastTime: time, generation: 0, isLive: true, state: make()))
        }
        index[key] = Int32(truncatingIfNeeded: slot)
        recency.append(slot)
        return slot
    }

    /// The slot of the stream `key` if it is live, without marking it used.
    @inline(__always)
    func slot(of key: String) -> Int? {
        index[key].map { Int($0) }
    }

    /// Frees `slot` (which must be live).
    mutating func remove(_ slot: Int) {
        index[entries[slot].key] = nil
        recency.remove(slot)
        entries[slot].isLive = false
        freeSlots.append(Int32(truncatingIfNeeded: slot))
    }

    /// Whether the timer set for `slot` at `generation` still belongs to a live stream.
    func isCurrent(slot: Int32, generation: UInt32) -> Bool {
        let slot = Int(slot)
        return slot < entries.count && entries[slot].isLive && entries[slot].generation == generation
    }
}
