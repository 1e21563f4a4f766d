import Foundation

/// Reads and decodes, on worker threads, the blocks a query will take next, in the order it takes
/// them, while the query's own thread merges and prints: a scan that decodes every block
/// (`-p err`, `-u`) then uses every core, as `StoreReader.count` does.
///
/// Workers run at most `window` blocks ahead of the consumer, so a query that stops early (`-n`)
/// wastes little and memory stays bounded. With one block to read, or one core, nothing is started
/// and `take` decodes on the caller's thread.
final class BlockPrefetch: @unchecked Sendable {
    // Sendable by hand: `locations` and `window` are constants; every other stored property is
    // read and written only while holding `condition` (a monitor), and each of `evaluators` is
    // used by the one worker it was made for. A `DecodedBlock` crosses threads exactly once: the
    // worker that decoded it stores it under the lock and keeps no reference, and the consumer
    // removes it under the same lock.

    /// A block ready for the merge: its matching records' indexes, messages and fields loaded.
    struct Decoded {
        let block: DecodedBlock
        let matches: [Int]
    }

    private let locations: [BlockLocation]
    private let window: Int
    /// One per worker thread, used by that thread only.
    private let evaluators: [BlockEvaluator]
    private let condition = NSCondition()
    private var inline: BlockEvaluator?
    private var claimed = 0
    private var taken = 0
    private var finished: [Int: Result<Decoded, StoreError>] = [:]
    private var stopped = false
    private var running = 0

    /// Prefetches `locations` (in the order `take` will ask for them) with up to `threads` workers.
    init(locations: [BlockLocation], threads: Int, makeEvaluator: () -> BlockEvaluator) {
        self.locations = locations
        let workers = min(threads, locations.count)
        window = 2 * workers
        guard workers > 1 else {
            evaluators = []
            inline = makeEvaluator()
            return
        }
        evaluators = (0..<workers).map { _ in makeEvaluator() }
        running = workers
        for index in 0..<workers {
            let thread = Thread { [self] in work(evaluators[index]) }
            thread.name = "vigil-read-\(index)"
            thread.start()
        }
    }

    /// The block at `index`, which must be the one after the last taken.
    func take(_ index: Int) -> Result<Decoded, StoreError> {
        if let inline {
            precondition(index == taken, "blocks are taken in order")
            taken += 1
            return Self.decode(locations[index], inline)
        }
        condition.lock()
        defer { condition.unlock() }
        precondition(index == taken, "blocks are taken in order")
        while finished[index] == nil { condition.wait() }
        taken += 1
        condition.broadcast()
        return finished.removeValue(forKey: index)!
    }

    /// Stops the workers and waits for them to leave (a block being decoded is finished first).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        finished = [:]
        condition.unlock()
    }

    private func work(_ evaluator: BlockEvaluator) {
        condition.lock()
        while true {
            while !stopped, claimed < locations.count, claimed >= taken + window { condition.wait() }
            guard !stopped, claimed < locations.count else { break }
            let index = claimed
            claimed += 1
            condition.unlock()
            let outcome = Self.decode(locations[index], evaluator)
            condition.lock()
            finished[index] = outcome
            condition.broadcast()
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    private static func decode(_ location: BlockLocation, _ evaluator: BlockEvaluator) -> Result<Decoded, StoreError> {
        do throws(StoreError) {
            let (block, matches) = try evaluator.readMatches(location)
            return .success(Decoded(block: block, matches: matches))
        } catch {
            return .failure(error)
        }
    }
}
