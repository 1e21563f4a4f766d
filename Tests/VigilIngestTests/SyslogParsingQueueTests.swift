import Foundation
import MetricsTestKit
import Synchronization
import Testing
import VigilCore
import VigilFormats
import VigilStore
import VigilTestSupport
@testable import VigilIngest

/// The UDP input's split: the receiving thread copies each burst's messages, a queue of its own
/// parses them into records for the pipeline.
@Suite struct SyslogParsingQueueTests {
    static func burst(_ messages: [(text: String, sender: String, truncated: Bool)]) -> SyslogMessageBurst {
        var burst = SyslogMessageBurst()
        for (index, message) in messages.enumerated() {
            Array(message.text.utf8).withUnsafeBufferPointer { bytes in
                burst.append(bytes, receivedAt: 1_763_900_000_000_000_000 + Int64(index), sender: message.sender, truncated: message.truncated)
            }
            burst.received(message.text.utf8.count)
        }
        return burst
    }

    @Test func aBurstGivesBackEachMessageWithItsSenderAndFlags() {
        let burst = Self.burst([("<13>1 - h a - - - one", "10.0.0.1", false), ("two", "10.0.0.1", true), ("<14>three", "10.0.0.2", false)])
        var seen: [String] = []
        burst.forEach { bytes, message, sender in
            seen.append("\(String(decoding: bytes, as: UTF8.self))|\(sender)|\(message.truncated)|\(message.receivedAt % 10)")
        }
        #expect(seen == ["<13>1 - h a - - - one|10.0.0.1|false|0", "two|10.0.0.1|true|1", "<14>three|10.0.0.2|false|2"])
        #expect(burst.receivedBytes == 3 + 21 + 9)
    }

    @Test func submittingLeavesAnEmptyBurstAndParsedBurstsComeBackToBeFilledAgain() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let store = try StoreWriter(directory: scratch.path + "/data", configuration: StoreConfiguration())
        let pipeline = IngestPipeline(store: store, capacity: 10_000)
        let parsing = SyslogParsingQueue(parser: SyslogParser(), pipeline: pipeline, limit: 1000) {}
        var burst = Self.burst((0..<50).map { ("<13>1 2026-11-23T10:00:00Z web app - - - message \($0)", "10.0.0.1", false) })
        let room = burst.capacity
        #expect(parsing.submit(&burst))
        #expect(burst.count == 0 && burst.receivedBytes == 0)
        await parsing.drain()
        // The parsed burst's memory, emptied, is what the next one is filled in.
        let next = parsing.emptyBurst()
        #expect(next.count == 0 && next.receivedBytes == 0 && next.capacity == room)
        await pipeline.drain()
        try await store.close()
        var messages: [String] = []
        try StoreReader(directory: scratch.path + "/data").read(RecordFilter()) { messages.append($0.message); return true }
        #expect(messages == (0..<50).map { "message \($0)" })
    }

    @Test func queuedBurstsArriveInTheStoreInOrderAndAFullQueuePausesReadingUntilItDrains() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let store = try StoreWriter(directory: scratch.path + "/data", configuration: StoreConfiguration())
        let pipeline = IngestPipeline(store: store, capacity: 10_000)
        let resumed = Mutex(0)
        let parsing = SyslogParsingQueue(parser: SyslogParser(), pipeline: pipeline, limit: 4) { resumed.withLock { $0 += 1 } }
        var first = Self.burst([
            ("<13>1 2026-11-23T10:00:00Z web app 7 - - first", "10.0.0.1", false),
            ("<13>1 2026-11-23T10:00:01Z web app 7 - - second", "10.0.0.1", true),
        ])
        var more = Self.burst((0..<5).map { ("<13>1 2026-11-23T11:00:00Z web app - - - more \($0)", "10.0.0.9", false) })
        // Two bursts together reach the limit: the second is taken, and reading should pause
        // (unless the queue already emptied) until the queue says it has room again.
        #expect(parsing.submit(&first))
        let keepReading = parsing.submit(&more)
        await parsing.drain()
        #expect(resumed.withLock { $0 } == (keepReading ? 0 : 1))
        await pipeline.drain()
        try await store.close()
        var records: [LogRecord] = []
        try StoreReader(directory: scratch.path + "/data").read(RecordFilter()) { records.append($0); return true }
        #expect(records.map(\.message) == ["first", "second"] + (0..<5).map { "more \($0)" })
        #expect(records.prefix(2).map { $0.fields["source_ip"] } == ["10.0.0.1", "10.0.0.1"])
        #expect(records.last?.fields["source_ip"] == "10.0.0.9")
        #expect(records.prefix(2).map { $0.fields["truncated"] } == [nil, "true"])
        #expect(records.prefix(2).map { $0.fields["pid"] } == ["7", "7"])
    }

    @Test func aFullPipelineMakesTheQueueWaitForRoomInsteadOfDropping() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let store = try StoreWriter(directory: scratch.path + "/data", configuration: StoreConfiguration())
        // Room for one record: each burst finds the pipeline full until the one before it is
        // committed (UDP commits wait up to commit_delay, 50 ms, for company).
        let pipeline = IngestPipeline(store: store, capacity: 1)
        let parsing = SyslogParsingQueue(parser: SyslogParser(), pipeline: pipeline, limit: 1000) {}
        for burst in 0..<4 {
            var messages = Self.burst([
                ("<13>1 2026-11-23T10:00:0\(burst)Z web app - - - burst \(burst) a", "10.0.0.1", false),
                ("<13>1 2026-11-23T10:00:0\(burst)Z web app - - - burst \(burst) b", "10.0.0.1", false),
            ])
            _ = parsing.submit(&messages)
        }
        await parsing.drain()
        await pipeline.drain()
        try await store.close()
        var messages: [String] = []
        try StoreReader(directory: scratch.path + "/data").read(RecordFilter()) { messages.append($0.message); return true }
        #expect(messages == (0..<4).flatMap { ["burst \($0) a", "burst \($0) b"] })
    }

    @Test func aPipelineFullForASecondMakesTheQueueDropTheBurstAndCountItOnce() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // The first burst is accepted and then waits 3 s for its commit (commit_delay), so the
        // second finds the one-record pipeline full for longer than the queue waits.
        var configuration = StoreConfiguration()
        configuration.commitDelay = 3_000_000_000
        let store = try StoreWriter(directory: scratch.path + "/data", configuration: configuration)
        let metrics = TestMetrics()
        let pipeline = IngestPipeline(store: store, capacity: 1, metricsFactory: metrics)
        let parsing = SyslogParsingQueue(parser: SyslogParser(), pipeline: pipeline, limit: 1000) {}
        let started = ContinuousClock.now
        for burst in ["kept", "dropped"] {
            var messages = Self.burst([
                ("<13>1 2026-11-23T10:00:00Z web app - - - \(burst) a", "10.0.0.1", false),
                ("<13>1 2026-11-23T10:00:00Z web app - - - \(burst) b", "10.0.0.1", false),
            ])
            _ = parsing.submit(&messages)
        }
        await parsing.drain()
        #expect(ContinuousClock.now - started >= SyslogParsingQueue.pipelineWait)
        let dimensions = [("input", "syslog_udp")]
        #expect(try metrics.expectCounter("vigil_input_dropped_total", dimensions).totalValue == 2)
        // Refused about a hundred times (every 10 ms), counted once.
        #expect(try metrics.expectCounter("vigil_input_backpressure_total", dimensions).totalValue == 1)
        await pipeline.drain()
        try await store.close()
        var messages: [String] = []
        try StoreReader(directory: scratch.path + "/data").read(RecordFilter()) { messages.append($0.message); return true }
        #expect(messages == ["kept a", "kept b"])
    }
}
