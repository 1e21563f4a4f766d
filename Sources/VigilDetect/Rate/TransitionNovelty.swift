/// How new a value's level is after the previous value's: the novelty half of
/// `SeriesAnomalyScorer` (bench/nab/ALGORITHM.md).
///
/// Values are quantised into `levels` equal bins over the range seen so far, plus one bin below
/// and one above it. A new minimum or maximum has novelty 0.75 (whatever came before it). Otherwise,
/// for each bin the bins that followed it are remembered as a bit set, and a value whose bin never
/// followed the previous one is novel (0.75); else the novelty is 0. A level shift or a spike to a new extreme is novel; a pattern
/// that repeats, however jagged, is not.
/// Memory: `levels + 2` words.
struct TransitionNovelty: Sendable {
    /// Bins over the range seen so far.
    let levels: Int
    private var low = 0.0
    private var high = 0.0
    private var started = false
    /// The previous value's bin (0: below the range, `levels + 1`: above it).
    private var previous: Int?
    /// Per bin, the bins that have followed it.
    private var followers: [UInt32]

    /// Novelty over `levels` bins (2–30).
    init(levels: Int) {
        precondition((2...30).contains(levels), "2 to 30 levels")
        self.levels = levels
        followers = Array(repeating: 0, count: levels + 2)
    }

    /// The novelty of `value` (finite), which is then learnt.
    mutating func observe(_ value: Double) -> Double {
        if !started {
            (low, high, started) = (value, value, true)
        }
        let span = high - low
        let bin: Int
        if value < low {
            bin = 0
        } else if value > high {
            bin = levels + 1
        } else if span <= 0 {
            bin = 1
        } else {
            bin = 1 + min(levels - 1, Int((value - low) / span * Double(levels)))
        }
        low = min(low, value)
        high = max(high, value)
        var novelty = 0.0
        if bin == 0 || bin == levels + 1 {
            novelty = 0.75  // a new minimum or maximum: new whatever came before, and not learnt
        } else if let previous {
            let mask: UInt32 = 1 << UInt32(bin)
            if followers[previous] & mask == 0 { novelty = 0.75 }
            followers[previous] |= mask
        }
        previous = bin
        return novelty
    }
}
