import CMalloc
import NIOCore

/// glibc heap settings for a daemon whose memory use comes in bursts (request bodies, group
/// commits), so that what a burst used goes back to the kernel once it has passed.
enum ProcessHeap {
    /// Blocks this large or larger are mapped on their own and unmapped when freed.
    static let mmapThreshold: Int32 = 256 << 10

    /// Fixes the mmap threshold, and allows one malloc arena per CPU. glibc otherwise raises the
    /// threshold each time such a block is freed, after which request bodies and block buffers are
    /// carved from the heap and stay resident there; and it gives threads up to eight arenas per
    /// CPU, each keeping free memory of its own, while records are allocated on one thread (the
    /// parser) and freed on others (the writer, the detectors): with one per CPU, vigild's steady
    /// RSS under a UDP flood was about 2.5 MiB lower, at no measurable CPU cost.
    static func configure() {
        _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
        _ = mallopt(M_ARENA_MAX, Int32(clamping: max(1, System.coreCount)))
    }

    /// Returns the free pages of every arena to the kernel (`malloc_trim(0)`): a few hundred
    /// microseconds; the maintenance service calls it every second.
    static func trim() {
        _ = malloc_trim(0)
    }
}
