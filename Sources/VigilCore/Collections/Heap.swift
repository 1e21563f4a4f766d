/// A binary heap: `first` is the element that `precedes` puts before all others. Pushing and popping
/// cost O(log n). Used for the store's ordered merge of blocks and the detectors' reorder buffer
/// and timers.
public struct Heap<Element> {
    @usableFromInline var storage: [Element] = []
    @usableFromInline let precedes: (Element, Element) -> Bool

    /// An empty heap ordered by `precedes` (a strict weak order: "comes first").
    @inlinable
    public init(_ precedes: @escaping (Element, Element) -> Bool) {
        self.precedes = precedes
    }

    /// The element that comes first, or nil when empty.
    @inlinable public var first: Element? { storage.first }
    /// Whether the heap is empty.
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    /// The number of elements.
    @inlinable public var count: Int { storage.count }

    /// Adds `element`.
    @inlinable
    public mutating func push(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(storage[child], storage[parent]) else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the element that comes first, or nil when empty.
    @inlinable
    public mutating func pop() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let result = storage.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < storage.count, precedes(storage[left], storage[best]) { best = left }
            if right < storage.count, precedes(storage[right], storage[best]) { best = right }
            if best == parent { return result }
            storage.swapAt(parent, best)
            parent = best
        }
    }

    /// Changes every element in place with `body`, which must not change how elements order (the
    /// heap is not re-sorted): for data carried beside the key.
    @inlinable
    public mutating func updateEach(_ body: (inout Element) -> Void) {
        for index in storage.indices { body(&storage[index]) }
    }

    /// Removes every element, keeping the storage.
    @inlinable
    public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }
}
