import Foundation
import Logging
import Metrics
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// fsyncs off the writer's queue (`fsync = "batch"`).
@Suite struct BackgroundSyncTests {
    @Test func requestsShareASyncAndEveryWaiterHearsOfIt() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let file = try PosixFile(path: directory.path + "/f", flags: O_RDWR | O_CREAT)
        try file.write(Array("data".utf8), at: 0)
        let sync = BackgroundSync(timer: Metrics.Timer(label: "test_fsync_seconds"), logger: Logger(label: "test"))
        let heard = DurableCount()
        for _ in 0..<50 {
            sync.request(
                SegmentWriter.PendingSync(files: [file], directory: directory.path),
                waiters: [{ result in if case .success = result { heard.add(1) } }])
        }
        await sync.drain()
        #expect(heard.value == 50)
    }

    @Test func relaxedAndWaitingAppendsUnderBatchAreAllDurableAfterClose() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = StoreConfiguration()
        configuration.commitDelay = 0
        let writer = try StoreWriter(directory: directory.path, configuration: configuration)
        let batches = CatchUpCompressionTests.batches(6, of: 300, seed: 12)
        let relaxed = DurableCount()
        for (index, batch) in batches.enumerated() {
            if index.isMultiple(of: 2) {
                writer.append(batch, acknowledgement: .afterWrite) { result in if case .success = result { relaxed.add(batch.count) } }
            } else {
                try await writer.append(batch)
            }
        }
        try await writer.close()
        #expect(relaxed.value == 900)
        #expect(try readAll(directory.path) == timeOrdered(batches.flatMap { $0 }))
    }
}
