/// An intrusive doubly linked list over slot numbers, ordered from least to most recently used.
///
/// Slots are array indices owned by a table; the list keeps only their links, so moving a slot to
/// the most recent end on every use costs a few array writes and no allocation. Detection feeds
/// records in event-time order, so "most recently used" is also "latest event time".
struct LRUList {
    private var previous: [Int32] = []
    private var next: [Int32] = []
    /// The least recently used slot, or -1 when the list is empty.
    private(set) var oldest: Int32 = -1
    /// The most recently used slot, or -1 when the list is empty.
    private(set) var newest: Int32 = -1

    /// Adds `slot` (not in the list) at the most recent end.
    mutating func append(_ slot: Int) {
        while previous.count <= slot {
            previous.append(-1)
            next.append(-1)
        }
        let slot32 = Int32(truncatingIfNeeded: slot)
        previous[slot] = newest
        next[slot] = -1
        if newest >= 0 { next[Int(newest)] = slot32 } else { oldest = slot32 }
        newest = slot32
    }

    /// Removes `slot`, which must be in the list.
    mutating func remove(_ slot: Int) {
        let before = previous[slot], after = next[slot]
        if before >= 0 { next[Int(before)] = after } else { oldest = after }
        if after >= 0 { previous[Int(after)] = before } else { newest = before }
        previous[slot] = -1
        next[slot] = -1
    }

    /// Moves `slot`, which must be in the list, to the most recent end.
    @inline(__always)
    mutating func touch(_ slot: Int) {
        guard Int32(truncatingIfNeeded: slot) != newest else { return }
        remove(slot)
        append(slot)
    }

    /// The slots from least to most recently used.
    var slotsInOrder: [Int] {
        var slots: [Int] = []
        var slot = oldest
        while slot >= 0 {
            slots.append(Int(slot))
            slot = next[Int(slot)]
        }
        return slots
    }
}
