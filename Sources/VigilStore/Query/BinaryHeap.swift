/// A binary heap ordered by a comparison: `top` is the element that `areInOrder` puts first.
struct BinaryHeap<Element> {
    private var storage: [Element] = []
    private let areInOrder: (Element, Element) -> Bool

    init(_ areInOrder: @escaping (Element, Element) -> Bool) { self.areInOrder = areInOrder }

    var top: Element? { storage.first }
    var isEmpty: Bool { storage.isEmpty }

    mutating func push(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard areInOrder(storage[child], storage[parent]) else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let result = storage.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < storage.count, areInOrder(storage[left], storage[first]) { first = left }
            if right < storage.count, areInOrder(storage[right], storage[first]) { first = right }
            if first == parent { return result }
            storage.swapAt(parent, first)
            parent = first
        }
    }
}
