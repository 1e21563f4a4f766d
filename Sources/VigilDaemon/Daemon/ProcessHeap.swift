import CMalloc

/// glibc heap settings for a daemon whose memory use comes in bursts (request bodies, group
/// commits), so that what a burst used goes back to the kernel once it has passed.
enum ProcessHeap {
    /// Blocks this large or larger are mapped on their own and unmapped when freed.
    static let mmapThreshold: Int32 = 256 << 10

    /// Fixes the mmap threshold. glibc otherwise raises it each time such a block is freed, after
    /// which request bodies and block buffers are carved from the heap and stay resident there.
    static func configure() {
        _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
    }

    /// Returns the free pages of every arena to the kernel (`malloc_trim(0)`): a few hundred
    /// microseconds; the maintenance service calls it every second.
    static func trim() {
        _ = malloc_trim(0)
    }
}
