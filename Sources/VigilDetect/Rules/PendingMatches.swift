import VigilCore

/// One rule's matching records that the reorder buffer has admitted but not yet released, per
/// group key: what lets a rule without `for` fire as soon as a window holds more than `threshold`
/// matches, instead of when the watermark reaches them.
///
/// Each group keeps its pending matches in release order (`ReorderBuffer.precedes`): records that
/// arrive in order are appended, others are inserted by binary search, and the released record is
/// always the first one. A group exists only while it has pending matches.
///
/// **Memory.** One entry per buffered record that matches the rule: a copy of the record (its
/// strings and fields are shared with the buffered copy, so only the record's inline words) and its
/// time. The buffer holds at most `max_buffered` records, so a rule holds at most that many entries
/// and that many groups at once, whatever the number of streams. A group that empties is freed; its
/// slot (a key and two array headers) stays for reuse, keeping storage for at most `keptCapacity`
/// entries, so what is left behind is also bounded by `max_buffered` slots.
struct PendingMatches {
    /// The pending matches of one group key.
    struct Group {
        /// The group key.
        var key: String
        /// Event times of the pending matches, from `head`, in release order.
        var times: [Int64] = []
        /// The pending matches, parallel to `times`.
        var records: [LogRecord] = []
        /// The first pending entry; entries before it were released.
        var head = 0
        /// Whether the rule already announced (fired) the episode these matches lead to, and the
        /// evaluator has not reached it yet.
        var announced = false
        /// Whether matches were added without looking for a crossing (the group was firing or
        /// announced then), so the next look must scan every pending match.
        var unchecked = false
        /// Whether the slot holds a group (false once freed).
        var isLive = true

        /// The number of pending matches.
        var count: Int { times.count - head }
    }

    /// The slots, live and free. The evaluator sets `announced` and `unchecked`; the entries
    /// change only through `insert` and `removeFirst`.
    var groups: [Group] = []
    private var index: [String: Int32] = [:]
    private var freeSlots: [Int32] = []

    /// Released entries are compacted away once there are this many and they are at least half.
    private static let compactAfter = 32
    /// A freed slot keeps its arrays' storage for reuse up to this many entries (a group's usual
    /// size, so that groups coming and going do not allocate each time).
    static let keptCapacity = 8

    /// The number of groups with pending matches.
    var count: Int { index.count }

    /// The number of pending matches (walks the groups).
    var matches: Int { groups.reduce(0) { $0 + ($1.isLive ? $1.count : 0) } }

    /// The slot of `key`'s group, if it has pending matches.
    @inline(__always)
    func slot(of key: String) -> Int? {
        index[key].map { Int($0) }
    }

    /// Adds `record`, which belongs to group `key`, returning the group's slot.
    @inline(__always)
    mutating func insert(_ record: LogRecord, key: String) -> Int {
        let slot: Int
        if let found = index[key] {
            slot = Int(found)
        } else if let reused = freeSlots.popLast() {
            slot = Int(reused)
            groups[slot].key = key
            groups[slot].isLive = true
            index[key] = reused
        } else {
            slot = groups.count
            groups.append(Group(key: key))
            index[key] = Int32(truncatingIfNeeded: slot)
        }
        let end = groups[slot].times.count
        if end == groups[slot].head || !ReorderBuffer.precedes(record, groups[slot].records[end - 1]) {
            groups[slot].times.append(record.time)
            groups[slot].records.append(record)
        } else {
            let position = insertionPoint(of: record, in: slot)
            groups[slot].times.insert(record.time, at: position)
            groups[slot].records.insert(record, at: position)
        }
        return slot
    }

    /// The first position whose record `record` precedes (past every one it does not).
    private func insertionPoint(of record: LogRecord, in slot: Int) -> Int {
        var low = groups[slot].head, high = groups[slot].times.count
        while low < high {
            let middle = (low + high) / 2
            if ReorderBuffer.precedes(record, groups[slot].records[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The first position at or after which every pending time is at least `time`.
    func lowerBound(_ time: Int64, in slot: Int) -> Int {
        var low = groups[slot].head, high = groups[slot].times.count
        while low < high {
            let middle = (low + high) / 2
            if groups[slot].times[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Removes the first pending match of group `key` (the record being released, at `time`).
    /// Returns the group's slot, or -1 when it emptied and was freed, and whether the group was
    /// announced before this call (an emptied group's announcement is dropped with it).
    @inline(__always)
    mutating func removeFirst(key: String, time: Int64) -> (slot: Int, announced: Bool) {
        guard let found = index[key] else { return (-1, false) }
        let slot = Int(found)
        let announced = groups[slot].announced
        let head = groups[slot].head
        assert(groups[slot].times[head] == time, "the released record must be its group's first pending match")
        if head + 1 == groups[slot].times.count {
            free(slot)
            return (-1, announced)
        }
        groups[slot].records[head] = Self.placeholder
        groups[slot].head = head + 1
        if head + 1 >= Self.compactAfter, 2 * (head + 1) >= groups[slot].times.count {
            groups[slot].times.removeFirst(head + 1)
            groups[slot].records.removeFirst(head + 1)
            groups[slot].head = 0
        }
        return (slot, announced)
    }

    private static let placeholder = LogRecord(time: 0, message: "")

    private mutating func free(_ slot: Int) {
        index[groups[slot].key] = nil
        groups[slot].key = ""
        groups[slot].times.removeAll(keepingCapacity: groups[slot].times.capacity <= Self.keptCapacity)
        groups[slot].records.removeAll(keepingCapacity: groups[slot].records.capacity <= Self.keptCapacity)
        groups[slot].head = 0
        groups[slot].announced = false
        groups[slot].unchecked = false
        groups[slot].isLive = false
        freeSlots.append(Int32(truncatingIfNeeded: slot))
    }
}
