import CGlibcMalloc

/// Keeps the large buffers a query frees for its next block instead of handing them back.
///
/// glibc's malloc serves a request of more than 128 KiB (raised as big ones are freed, per arena)
/// with a fresh mapping and returns freed memory above the heap's top to the kernel, so a scan
/// that decompresses block after block on several threads faults every page of every column
/// buffer in again. A short-lived CLI has no reason to return memory early: this raises both
/// thresholds once, before the first large allocation.
enum ReusedHeap {
    static func configure() {
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 128 << 20)
    }
}
