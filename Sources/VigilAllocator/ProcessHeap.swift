import CVigilAllocator

/// vigild's heap: jemalloc, the allocator Vector and Fluent Bit ship with, in place of glibc's
/// malloc, for a daemon whose records are made on one thread (the parser) and freed on others
/// (the store's writer, the detectors), and whose memory use comes in bursts.
///
/// glibc's malloc served that pattern poorly: a freed record went to the freeing thread's small
/// cache or back through its arena's lock, the memory the parser allocated next came from
/// elsewhere, and pages went back to the kernel only to be faulted in again (the comparison is in
/// bench/history/).
///
/// Only the `vigild` executable links this target, so jemalloc is its allocator and no one else's
/// (the libraries and their tests keep the system's).
///
/// The options built in (`CVigilAllocator`; `MALLOC_CONF` in the environment overrides them):
/// - `narenas:1`: one arena. Each thread still allocates from a cache of its own; what other
///   threads free returns to the one arena, where the parser's next allocations find it, rather
///   than to one of several arenas that each keep free memory of their own.
/// - `dirty_decay_ms:1000`: freed pages are kept for reuse for about a second, then returned;
///   `muzzy_decay_ms:0`: returned at once with `MADV_DONTNEED`, which the RSS shows, rather than
///   lazily.
public enum ProcessHeap {
    /// jemalloc's version and the options it runs with, for the start-up log.
    public static var description: String {
        let version = read("version", as: UnsafePointer<CChar>.self).map { String(cString: $0) } ?? "?"
        return "jemalloc \(version), options \(String(cString: vigil_allocator_options()))"
    }

    /// Returns the free pages whose decay time has passed to the kernel, in every arena
    /// (`arena.<all>.decay`). jemalloc does so only as it allocates and frees, so without this an
    /// idle daemon would keep what its last burst freed; the maintenance service calls it every
    /// second. Returns `false` if jemalloc refused.
    @discardableResult
    public static func returnDecayedPages() -> Bool {
        mallctl("arena.\(MALLCTL_ARENAS_ALL).decay", nil, nil, nil, 0) == 0
    }

    /// The value of a jemalloc control (`mallctl`), or `nil` if there is none of that name and type.
    public static func read<Value>(_ name: String, as type: Value.Type) -> Value? {
        let value = UnsafeMutablePointer<Value>.allocate(capacity: 1)
        defer { value.deallocate() }
        var size = MemoryLayout<Value>.size
        guard mallctl(name, value, &size, nil, 0) == 0, size == MemoryLayout<Value>.size else { return nil }
        return value.move()
    }
}
