import Synchronization

/// A count of records in flight with a limit: room is taken before records are handed on and
/// given back when they are done with. The ingest pipeline bounds its records with one, and the
/// daemon the records waiting for the detectors.
///
/// A batch larger than the whole limit is let through when nothing is in flight, so it cannot
/// wait forever.
public final class RecordBudget: Sendable {
    /// Records in flight at most.
    public let limit: Int
    private let inFlight = Atomic<Int>(0)

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Records in flight now.
    public var count: Int { inFlight.load(ordering: .acquiring) }

    /// Takes room for `count` records and returns the new total, or `nil` when that would pass the
    /// limit.
    public func take(_ count: Int) -> Int? {
        var current = inFlight.load(ordering: .relaxed)
        while true {
            guard current == 0 || current + count <= limit else { return nil }
            let (exchanged, original) = inFlight.compareExchange(
                expected: current, desired: current + count, ordering: .acquiringAndReleasing)
            if exchanged { return current + count }
            current = original
        }
    }

    /// Gives back the room of `count` records and returns what is left in flight.
    @discardableResult
    public func give(_ count: Int) -> Int {
        inFlight.subtract(count, ordering: .acquiringAndReleasing).newValue
    }
}
