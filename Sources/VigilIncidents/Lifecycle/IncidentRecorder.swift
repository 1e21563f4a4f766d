import VigilCore


/// Drains a `SignalQueue` into the store: everything waiting is applied in order, in transactions
/// of at most `batchLimit` signals (so an API write never waits long behind a storm). A failed
/// transaction is tried again twice, then its signals are given up. vigild's incident service and
/// `vigil-incidents-bench` run this same loop.
public struct IncidentRecorder: Sendable {
    /// Signals per transaction at most.
    public static let batchLimit = 2_000
    /// Attempts per transaction.
    public static let attempts = 3

    /// The store written to.
    public let store: any IncidentStore
    /// How a detector's signal names its records: read for every batch, so a reload's rules apply.
    public let filters: @Sendable () -> IncidentEvidenceFilters

    /// A recorder writing to `store`.
    public init(store: any IncidentStore, filters: IncidentEvidenceFilters) {
        self.init(store: store, currentFilters: { filters })
    }

    /// A recorder writing to `store` whose evidence filters follow `currentFilters` (vigild's,
    /// which SIGHUP replaces).
    public init(store: any IncidentStore, currentFilters: @escaping @Sendable () -> IncidentEvidenceFilters) {
        self.store = store
        filters = currentFilters
    }

    /// Applies the queue's signals until it is finished and empty. `committed` hears of every
    /// transaction (its entries, its changes, when it committed); `failed` of every failed attempt
    /// (its entries, the error, the attempt number; after the last one the entries are dropped).
    public func run(
        _ queue: SignalQueue,
        committed: @Sendable (ArraySlice<SignalQueue.Entry>, [IncidentChange], ContinuousClock.Instant) async -> Void,
        failed: @Sendable (ArraySlice<SignalQueue.Entry>, IncidentStoreError, Int) async -> Void
    ) async {
        while let entries = await queue.next() {
            var start = 0
            while start < entries.count {
                let end = min(entries.count, start + Self.batchLimit)
                let batch = entries[start..<end]
                start = end
                let filters = filters()
                let signals = batch.map { IncidentSignal($0.signal, filters: filters) }
                for attempt in 1...Self.attempts {
                    do {
                        let changes = try await store.apply(signals, now: WallClock.now())
                        await committed(batch, changes, .now)
                        break
                    } catch {
                        await failed(batch, error, attempt)
                        if attempt < Self.attempts { try? await Task.sleep(for: .milliseconds(attempt == 1 ? 100 : 1000)) }
                    }
                }
            }
        }
    }
}
