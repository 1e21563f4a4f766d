import Foundation
import Synchronization
import Testing
import VigilCore
import VigilRegex
import VigilTestSupport
@testable import VigilStore

/// Random records into segments, then every kind of query compared with a plain filter over the input.
@Suite struct StoreRoundTripTests {
    /// Builds a random filter from the pieces a query can combine.
    static func randomFilter(_ records: [LogRecord], using random: inout SplitMix) throws -> RecordFilter {
        var filter = RecordFilter()
        let times = records.map(\.time).sorted()
        if Bool.random(using: &random) { filter.since = times[Int.random(in: 0..<times.count, using: &random)] }
        if Bool.random(using: &random) { filter.until = times[Int.random(in: 0..<times.count, using: &random)] + Int64.random(in: -1...1, using: &random) }
        if Bool.random(using: &random) { filter.minimumSeverity = Severity(rawValue: UInt8.random(in: 0...7, using: &random)) }
        if Int.random(in: 0..<3, using: &random) == 0 {
            filter.services = Array(RecordFactory.services.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)))
        }
        if Int.random(in: 0..<4, using: &random) == 0 { filter.hosts = [["web-*", "db-1", "web-[12]", "?"].randomElement(using: &random)!] }
        if Int.random(in: 0..<4, using: &random) == 0 {
            filter.fieldEquals = [("k\(Int.random(in: 0..<4, using: &random))", "v\(Int.random(in: 0..<3, using: &random))")]
            if Bool.random(using: &random) { filter.fieldEquals.append(("service", RecordFactory.services.randomElement(using: &random)!)) }
        }
        if Int.random(in: 0..<3, using: &random) == 0 {
            let pattern = ["alpha", "^beta", "error|timeout", "gamma$", "ключ", "Gamma", "^$", "second line", "x\\b", "(?<!l)pha"]
                .randomElement(using: &random)!
            filter.messagePattern = try PCRE2Regex(pattern)
        }
        return filter
    }

    @Test(arguments: [(CompressionCodec.zstd, UInt64(1)), (.lz4, 2), (.zstd, 3)])
    func queriesEqualAPlainFilterOverTheInput(codec: CompressionCodec, seed: UInt64) async throws {
        let directory = TemporaryDirectory("roundtrip\(seed)")
        defer { directory.remove() }
        var random = SplitMix(seed: seed)
        var configuration = StoreConfiguration()
        configuration.codec = codec
        configuration.segmentMaxBytes = 8 * 1024
        var input: [LogRecord] = []
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        for _ in 0..<30 {
            let batch = RecordFactory.records(count: Int.random(in: 1...300, using: &random), base: 1_763_000_000_000_000_000 + Int64(input.count) * 1_000_000, using: &random)
            try await writer.append(batch)
            input += batch
        }
        try await writer.close()
        #expect(try segmentPaths(directory.path).count > 3, "small segments force rotation")

        let expectedAll = timeOrdered(input)
        #expect(try readAll(directory.path) == expectedAll)
        #expect(try readAll(directory.path, reverse: true) == expectedAll.reversed())

        let reader = try StoreReader(directory: directory.path)
        for _ in 0..<50 {
            let filter = try Self.randomFilter(input, using: &random)
            let expected = expectedAll.filter(filter.matches)
            #expect(reader.count(filter) == expected.count)
            #expect(reader.count(filter, threads: 1) == expected.count)
            var got: [LogRecord] = []
            reader.read(filter) { got.append($0); return true }
            #expect(got == expected)
            let limit = Int.random(in: 0...20, using: &random)
            var limited: [LogRecord] = []
            reader.read(filter, reverse: true, limit: limit) { limited.append($0); return true }
            #expect(limited == Array(expected.reversed().prefix(limit)))
            // The histogram over buckets: the same matches, bucket by bucket, and its newest page.
            let start = expectedAll[0].time - 1_000_000, width: Int64 = 7_000_000
            let buckets = Int((expectedAll[expectedAll.count - 1].time - start) / width) + 1
            let (histogram, newest) = reader.histogram(filter, start: start, width: width, buckets: buckets, newest: limit)
            var all = [Int](repeating: 0, count: buckets), errors = [Int](repeating: 0, count: buckets)
            for record in expected {
                all[Int((record.time - start) / width)] += 1
                if record.severity.rawValue <= Severity.err.rawValue { errors[Int((record.time - start) / width)] += 1 }
            }
            #expect(histogram.all == all && histogram.errors == errors)
            #expect(newest.map(\.time) == expected.reversed().prefix(limit).map(\.time))
        }
    }

    @Test func statisticsAddUp() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var random = SplitMix(seed: 11)
        let records = RecordFactory.records(count: 1000, using: &random)
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        try await writer.append(records, sourceSizes: Array(repeating: 100, count: records.count))
        try await writer.close()
        let stats = StoreStatistics(catalog: try StoreCatalog(directory: directory.path))
        #expect(stats.records == 1000)
        #expect(stats.sourceBytes == 100_000)
        #expect(stats.segments == 1 && stats.sealedSegments == 1)
        #expect(stats.oldestTime == records.map(\.time).min())
        #expect(stats.newestTime == records.map(\.time).max())
        #expect(stats.storedBytes > 0)
    }

    @Test func concurrentAppendsShareCommits() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                group.addTask {
                    for i in 0..<20 {
                        try await writer.append([LogRecord(time: Int64(task * 1000 + i), service: "t\(task)", message: "m\(i)")])
                    }
                }
            }
            try await group.waitForAll()
        }
        try await writer.close()
        let catalog = try StoreCatalog(directory: directory.path)
        #expect(catalog.recordCount == 1000)
        #expect(catalog.blocks.count < 1000, "group commit puts concurrent appends into shared blocks")
    }

    @Test func relaxedAppendsWaitForCompanyAndPromptOnesTakeThemAlong() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        configuration.commitDelay = 300_000_000
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        let done = DurableCount()
        let start = ContinuousClock.now
        // Twenty small relaxed bursts within the delay end up in one commit, one block, no sooner
        // than the delay after the first.
        appendRelaxedBursts(20, of: 10, to: writer, counting: done)
        while done.value < 200 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try #require(done.firstAt) - start >= .milliseconds(300), "relaxed appends wait for the commit delay")
        #expect(try StoreCatalog(directory: directory.path).blocks.count == 1)

        // A prompt append does not wait for a long delay, and takes the relaxed records waiting
        // with it.
        configuration.commitDelay = 60_000_000_000
        try await writer.reconfigure(configuration)
        writer.append([LogRecord(time: 500, service: "udp", message: "waiting")], acknowledgement: .afterWrite) { _ in done.add(1) }
        let prompt = ContinuousClock.now
        try await writer.append([LogRecord(time: 501, service: "http", message: "now")])
        #expect(ContinuousClock.now - prompt < .seconds(30))
        #expect(done.value == 201)
        #expect(try StoreCatalog(directory: directory.path).blocks.count == 2)
        try await writer.close()
        #expect(try StoreCatalog(directory: directory.path).recordCount == 202)
    }

    @Test func aLimitedCommitTakesTheOldestAppendsThatFitAndTheRestFollowsAtOnce() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        configuration.commitDelay = 60_000_000_000
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        writer.limitCommits(toRecords: 50)
        let relaxed = DurableCount()
        appendRelaxedBursts(20, of: 10, to: writer, counting: relaxed)
        // A prompt append larger than the limit makes the writer commit what waits, 50 records at
        // a time in arrival order, and then goes alone; every caller hears back.
        let large = (0..<80).map { LogRecord(time: Int64(1000 + $0), service: "http", message: "large") }
        try await writer.append(large)
        while relaxed.value < 200 { try await Task.sleep(for: .milliseconds(5)) }
        let catalog = try StoreCatalog(directory: directory.path)
        #expect(catalog.blocks.map(\.recordCount) == [50, 50, 50, 50, 80])
        try await writer.close()
        #expect(try readAll(directory.path).map(\.time) == (0..<200).map(Int64.init) + (1000..<1080).map(Int64.init))
    }

    @Test func aLargeCommitIsEncodedAsTwoBlocksInParallelAndReadsBackWhole() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var random = SplitMix(seed: 7)
        let records = RecordFactory.records(count: 20_000, using: &random)
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        try await writer.append(records)
        try await writer.close()
        let catalog = try StoreCatalog(directory: directory.path)
        #expect(catalog.blocks.count == 2)
        #expect(catalog.blocks.map(\.recordCount) == [10_000, 10_000])
        var warnings: [String] = []
        let back = try readAll(directory.path, warnings: &warnings)
        #expect(warnings.isEmpty)
        #expect(back.count == 20_000)
        #expect(Set(back.map(\.message)) == Set(records.map(\.message)))
        #expect(back.map(\.time) == records.map(\.time).sorted())
    }

    @Test func aSecondWriterIsRefusedWithTheHoldersPID() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let first = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        #expect(DataDirectoryLock.isHeld(directory: directory.path))
        do {
            _ = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
            Issue.record("second writer opened")
        } catch {
            #expect(error == .locked(directory: directory.path, holderPID: getpid(), holderName: DataDirectoryLock.processName(getpid())))
            #expect(error.description.contains("locked by process \(getpid())"))
        }
        _ = first
    }

    /// The lock of `directory` held through a descriptor of its own, the LOCK file emptied as a
    /// writer that closed leaves it: how a child that shares a closed writer's descriptor until
    /// its `exec` holds it.
    static func holdLockWithoutAName(_ directory: String) throws -> Int32 {
        _ = try DataDirectoryLock(directory: directory)
        let fd = open(SegmentDirectory(path: directory).lockPath, O_RDWR | O_CLOEXEC)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        #expect(DataDirectoryLock.holder(directory: directory) == nil)
        return fd
    }

    /// A holder that names no process is letting go: the next writer waits for it instead of failing.
    @Test func aLockHeldByNoNamedProcessIsWaitedForBriefly() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let other = try Self.holdLockWithoutAName(directory.path)
        let releaser = Thread {
            usleep(50_000)
            close(other)
        }
        releaser.start()
        let lock = try DataDirectoryLock(directory: directory.path)
        #expect(DataDirectoryLock.holder(directory: directory.path) == getpid())
        _ = lock
    }

    @Test func aLockHeldByNoNamedProcessThatStaysIsReported() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let other = try Self.holdLockWithoutAName(directory.path)
        defer { close(other) }
        let started = ContinuousClock.now
        #expect(throws: StoreError.locked(directory: directory.path, holderPID: nil, holderName: nil)) {
            try DataDirectoryLock(directory: directory.path)
        }
        #expect(ContinuousClock.now - started >= DataDirectoryLock.unnamedHolderWait)
    }

    @Test func retentionDeletesTheOldestSealedSegmentsBySize() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        configuration.segmentMaxBytes = 16 * 1024
        configuration.retentionMaxBytes = 64 * 1024
        var random = SplitMix(seed: 5)
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        for _ in 0..<40 { try await writer.append(RecordFactory.records(count: 200, using: &random)) }
        try await writer.maintain()
        try await writer.close()
        let catalog = try StoreCatalog(directory: directory.path)
        let total = catalog.segments.reduce(Int64(0)) { $0 + $1.fileSize }
        #expect(total <= 64 * 1024)
        #expect(catalog.segments.first!.id > 1, "the oldest segments went first")
        let ids = catalog.segments.map(\.id)
        #expect(ids == Array(ids.first!...ids.last!), "only a prefix was deleted")
    }

    @Test func retentionDeletesSegmentsSealedLongAgo() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        var random = SplitMix(seed: 6)
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        try await writer.append(RecordFactory.records(count: 10, using: &random))
        try await writer.seal()
        try await Task.sleep(for: .milliseconds(300))
        configuration.retentionMaxAge = 200_000_000
        try await writer.reconfigure(configuration)
        try await writer.append(RecordFactory.records(count: 10, using: &random))
        try await writer.maintain()
        let catalog = try StoreCatalog(directory: directory.path)
        #expect(catalog.segments.map(\.id) == [2], "the segment sealed 300 ms ago is gone, the active one stays")
        try await writer.close()
    }

    @Test func rotationByAge() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        configuration.segmentMaxAge = 100_000_000
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        try await writer.append([LogRecord(time: 1, message: "a")])
        try await Task.sleep(for: .milliseconds(200))
        try await writer.maintain()
        try await writer.append([LogRecord(time: 2, message: "b")])
        try await writer.close()
        #expect(try segmentPaths(directory.path).count == 2)
        #expect(try readAll(directory.path).map(\.message) == ["a", "b"])
    }
}

/// Records acknowledged through completion callbacks, and when the first was.
/// Appends `count` bursts of `size` records acknowledged after write (as the UDP input does), times
/// 0, 1, 2… in order, adding each burst to `done` once it is durable.
func appendRelaxedBursts(_ count: Int, of size: Int, to writer: StoreWriter, counting done: DurableCount) {
    for burst in 0..<count {
        let records = (0..<size).map { LogRecord(time: Int64(burst * size + $0), service: "udp", message: "m") }
        writer.append(records, acknowledgement: .afterWrite) { result in
            if case .success = result { done.add(records.count) }
        }
    }
}

final class DurableCount: Sendable {
    private let state = Mutex<(count: Int, first: ContinuousClock.Instant?)>((0, nil))
    func add(_ n: Int) {
        let now = ContinuousClock.now
        state.withLock { $0.count += n; $0.first = $0.first ?? now }
    }
    var value: Int { state.withLock { $0.count } }
    var firstAt: ContinuousClock.Instant? { state.withLock { $0.first } }
}
