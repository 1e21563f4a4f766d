import Foundation
import Synchronization
import Testing
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilIngest

/// The bounded pipeline in front of a real store: backpressure while full, release once committed.
@Suite struct IngestPipelineTests {
    func records(_ count: Int, _ prefix: String) -> [LogRecord] {
        (0..<count).map { LogRecord(time: 1_795_428_000_000_000_000 + Int64($0), service: "s", message: "\(prefix) \($0) " + String(repeating: "x", count: 200)) }
    }

    @Test func aFullPipelineRefusesOrDelaysAndReleasesOnceTheStoreHasCommitted() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let store = try StoreWriter(directory: scratch.path + "/data", configuration: StoreConfiguration())
        let pipeline = IngestPipeline(store: store, capacity: 1000)
        let big = records(50_000, "big")
        // A batch larger than the capacity goes through alone (the pipeline was empty)...
        let first = Task { try await pipeline.submit(big, sourceSizes: big.map { _ in 250 }, from: .http) }
        while pipeline.queuedRecords == 0 { try await Task.sleep(for: .milliseconds(1)) }
        // ...and while it is in flight, HTTP gets `.full` after its wait, and UDP drops.
        let small = records(10, "small")
        await #expect(throws: IngestPipeline.SubmitError.self) {
            try await pipeline.submit(small, sourceSizes: small.map { _ in 250 }, from: .http, waitingAtMost: .milliseconds(1))
        }
        #expect(!pipeline.offer(small, sourceSizes: small.map { _ in 250 }, from: .syslogUDP))
        // A waiting submitter (journald) gets in once the big batch is durable.
        try await pipeline.submit(small, sourceSizes: small.map { _ in 250 }, from: .journald)
        try await first.value
        #expect(pipeline.queuedRecords == 0)
        #expect(pipeline.committedRecords == 50_010)
        try await store.close()
        #expect(try StoreReader(directory: scratch.path + "/data").count(RecordFilter()) == 50_010)
    }

    /// A 100-record pipeline filled by relaxed records that wait for a prompt append to be
    /// committed, and the 10 records it refused.
    func fullPipeline(in scratch: Scratch) throws -> (StoreWriter, IngestPipeline, [LogRecord]) {
        var configuration = StoreConfiguration()
        configuration.commitDelay = 3_600_000_000_000  // relaxed records wait for a prompt append
        let store = try StoreWriter(directory: scratch.path + "/data", configuration: configuration)
        let pipeline = IngestPipeline(store: store, capacity: 100)
        let full = records(100, "full")
        #expect(pipeline.offer(full, sourceSizes: full.map { _ in 250 }, from: .syslogUDP))
        let next = records(10, "next")
        #expect(!pipeline.offer(next, sourceSizes: next.map { _ in 250 }, from: .syslogUDP, whenFull: .keep))
        return (store, pipeline, next)
    }

    @Test func aThreadWaitingForRoomIsWokenWhenACommitGivesItBack() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (store, pipeline, next) = try fullPipeline(in: scratch)
        let woken = Task {
            await withCheckedContinuation { (done: CheckedContinuation<ContinuousClock.Instant, Never>) in
                Thread {
                    let offered = pipeline.retryWhenRoom(until: ContinuousClock.now + .seconds(120)) {
                        pipeline.offer(next, sourceSizes: next.map { _ in 250 }, from: .syslogUDP, whenFull: .keep, retrying: true)
                    }
                    precondition(offered)
                    done.resume(returning: ContinuousClock.now)
                }.start()
            }
        }
        while pipeline.threadsWaitingForRoom == 0 { try await Task.sleep(for: .milliseconds(1)) }
        // An after-sync append makes the writer commit the waiting after-write records too; their
        // room comes back, and the waiting thread's next offer is taken then rather than after its
        // two minutes.
        let triggered = ContinuousClock.now
        try await store.append([LogRecord(time: 1, service: "s", message: "prompt")])
        #expect(await woken.value - triggered < .seconds(60))
        #expect(pipeline.threadsWaitingForRoom == 0)
        try await store.close()
    }

    /// The TCP input's way to wait on an event loop: a callback, called once when a commit gives
    /// room back, and not before.
    @Test func aCallbackWaitingForRoomIsCalledOnceWhenACommitGivesItBack() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (store, pipeline, next) = try fullPipeline(in: scratch)
        let calls = Atomic<Int>(0)
        let (called, continuation) = AsyncStream.makeStream(of: Void.self)
        pipeline.whenRoom {
            calls.add(1, ordering: .relaxed)
            continuation.yield()
        }
        #expect(pipeline.callbacksWaitingForRoom == 1)
        try await Task.sleep(for: .milliseconds(50))
        #expect(calls.load(ordering: .relaxed) == 0, "no room was given back yet")
        try await store.append([LogRecord(time: 1, service: "s", message: "prompt")])
        for await _ in called { break }
        #expect(pipeline.callbacksWaitingForRoom == 0)
        #expect(pipeline.offer(next, sourceSizes: next.map { _ in 250 }, from: .syslogUDP, whenFull: .keep))
        try await store.append([LogRecord(time: 2, service: "s", message: "prompt")])
        #expect(calls.load(ordering: .relaxed) == 1, "called once, not at every commit after")
        try await store.close()
    }

    @Test func observersSeeEveryCommittedBatch() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let store = try StoreWriter(directory: scratch.path + "/data", configuration: StoreConfiguration())
        let pipeline = IngestPipeline(store: store, capacity: 100)
        let seen = Mutex(0)
        pipeline.observe { batch in seen.withLock { $0 += batch.count } }
        for i in 0..<5 {
            let batch = records(20, "b\(i)")
            try await pipeline.submit(batch, sourceSizes: batch.map { _ in 250 }, from: .http)
        }
        #expect(seen.withLock { $0 } == 100)
        try await store.close()
    }
}
