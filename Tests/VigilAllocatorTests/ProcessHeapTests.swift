import Testing
import VigilAllocator

/// vigild's allocator is jemalloc, with the options it builds in, and every allocation goes
/// through it (this test binary links it as vigild does).
@Suite struct ProcessHeapTests {
    @Test func jemallocRunsWithVigildsOptions() {
        #expect(ProcessHeap.read("opt.narenas", as: UInt32.self) == 1)
        #expect(ProcessHeap.read("opt.dirty_decay_ms", as: Int.self) == 1000)
        #expect(ProcessHeap.read("opt.muzzy_decay_ms", as: Int.self) == 0)
        #expect(ProcessHeap.description.hasPrefix("jemalloc 5."))
        #expect(ProcessHeap.description.hasSuffix("options narenas:1,dirty_decay_ms:1000,muzzy_decay_ms:0"))
        #expect(ProcessHeap.read("no.such.control", as: Int.self) == nil)
    }

    @Test func swiftAllocationsGoThroughJemalloc() throws {
        let before = try #require(ProcessHeap.read("thread.allocated", as: UInt64.self))
        let bytes = [UInt8](repeating: 1, count: 1 << 20)
        let after = try #require(ProcessHeap.read("thread.allocated", as: UInt64.self))
        #expect(after - before >= 1 << 20)
        #expect(bytes.count == 1 << 20)
    }

    @Test func decayedPagesCanBeReturned() {
        #expect(ProcessHeap.returnDecayedPages())
    }
}
