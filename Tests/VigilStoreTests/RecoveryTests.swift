import Foundation
import Synchronization
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// Set once a child process has exited, so a timed kill is not sent to a pid given to another.
final class ExitFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

/// Crash safety: a real writer process killed with SIGKILL, then recovery on open.
@Suite(.serialized) struct RecoveryTests {
    /// Starts the crash writer, lets it append for a random while, kills it, and returns the batches
    /// it acknowledged (run, batch → record count).
    static func runAndKill(directory: String, run: Int, seed: UInt64, milliseconds: Int) async throws -> [Int: Int] {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("vigil-crash-writer")
        process.arguments = [directory, String(run), String(seed), String(48 * 1024)]
        let output = Pipe()
        process.standardOutput = output
        let exit = try process.runWatchingExit()
        // A thread of its own reads the writer's output and times the kill from its first
        // acknowledgement (a `Task.sleep` here would resume only once a thread of the cooperative
        // pool is free, under the parallel suite seconds late; and timing from the start let a
        // writer slow to start under load be killed before it acknowledged anything). The kill is
        // sent only while the writer still runs: a late kill could hit another process that was
        // given its pid.
        let pid = process.processIdentifier
        let exited = ExitFlag()
        let handle = output.fileHandleForReading
        let bytes: [UInt8] = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var collected: [UInt8] = []
                var scheduled = false
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    collected += chunk
                    if !scheduled, String(decoding: collected, as: UTF8.self).contains("acked ") {
                        scheduled = true
                        Thread.detachNewThread {
                            usleep(UInt32(milliseconds * 1000))
                            if !exited.isSet { kill(pid, SIGKILL) }
                        }
                    }
                }
                // End of output: the writer has exited (or closed its stdout), and is not reaped
                // until `exit` reports, so its pid cannot have been given away yet.
                exited.set()
                continuation.resume(returning: collected)
            }
        }
        _ = await exit.status
        exited.set()
        let text = String(decoding: bytes, as: UTF8.self)
        var acked: [Int: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            // A line cut by the kill is not an acknowledgement.
            guard parts.count == 4, parts[0] == "acked", Int(parts[1]) == run, let batch = Int(parts[2]), let count = Int(parts[3]) else { continue }
            acked[batch] = count
        }
        return acked
    }

    @Test func everyAcknowledgedBatchSurvivesSIGKILL() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var random = SplitMix(seed: 2026)
        var acknowledged: [Int: [Int: Int]] = [:]
        let iterations = 24
        for run in 0..<iterations {
            let delay = Int.random(in: 60...400, using: &random)
            acknowledged[run] = try await Self.runAndKill(directory: directory.path, run: run, seed: random.next(), milliseconds: delay)

            // Reopening runs recovery: every segment sealed, torn tails cut.
            let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
            try await writer.close()
            var warnings: [String] = []
            let records = try readAll(directory.path, warnings: &warnings)
            #expect(warnings.isEmpty, "recovered store reads without warnings: \(warnings)")

            var present: [Int: [Int: Set<Int>]] = [:]
            for record in records {
                let r = Int(record.fields["run"]!)!, b = Int(record.fields["batch"]!)!, i = Int(record.fields["i"]!)!
                #expect(record.message.hasPrefix("run \(r) batch \(b) record \(i) "), "record decodes intact")
                let inserted = present[r, default: [:]][b, default: []].insert(i).inserted
                #expect(inserted, "no duplicate of run \(r) batch \(b) record \(i)")
            }
            for (r, batches) in acknowledged {
                for (b, count) in batches {
                    #expect(present[r]?[b]?.count == count, "acknowledged run \(r) batch \(b) (\(count) records) is complete")
                }
            }
            let report = try StoreVerifier.verify(directory: directory.path)
            #expect(report.isClean, "verify after recovery: \(report.problems)")
        }
        let total = acknowledged.values.reduce(0) { $0 + $1.count }
        #expect(total > iterations, "the writer acknowledged batches before being killed (\(total))")
    }

    /// Writes one unsealed segment by hand: a writer whose process "dies" before `close`.
    static func unsealedSegment(_ directory: String, blocks: Int) async throws -> [LogRecord] {
        var random = SplitMix(seed: 99)
        var all: [LogRecord] = []
        let writer = try StoreWriter(directory: directory, configuration: StoreConfiguration())
        for _ in 0..<blocks {
            let records = RecordFactory.records(count: 50, base: 1_763_000_000_000_000_000 + Int64(all.count) * 1_000_000_000, using: &random)
            try await writer.append(records)
            all += records
        }
        writer.abandon()  // no close: the segment stays unsealed, as after a crash
        return all
    }

    @Test func aTornTailIsCutAtTheLastGoodBlock() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let records = try await Self.unsealedSegment(directory.path, blocks: 5)
        let path = try segmentPaths(directory.path)[0]
        // Append half a block: what a crash in the middle of a write leaves.
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        var half: [UInt8] = []
        _ = try BlockEncoder(codec: .zstd, zstdLevel: 3).encode(records[0..<40], sourceSizes: Array(repeating: 1, count: 40)[...], into: &half)
        handle.write(Data(half.prefix(half.count / 2)))
        handle.closeFile()

        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        #expect(writer.recovery.repaired.count == 1)
        #expect(writer.recovery.repaired[0].blocksKept == 5)
        #expect(writer.recovery.repaired[0].bytesCut == Int64(half.count / 2))
        try await writer.close()
        #expect(try readAll(directory.path) == timeOrdered(records))
        #expect(try StoreVerifier.verify(directory: directory.path).isClean)
    }

    @Test func aCorruptBlockInsideAnUnsealedSegmentKeepsTheBlocksAfterIt() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let records = try await Self.unsealedSegment(directory.path, blocks: 4)
        let path = try segmentPaths(directory.path)[0]
        let catalog = try StoreCatalog(directory: directory.path)
        let second = catalog.blocks[1]
        try flipByte(path, at: second.offset + Int64(BlockHeader.size) + 5)

        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        #expect(writer.recovery.repaired.first?.blocksKept == 3)
        #expect(writer.recovery.repaired.first?.problems.count == 1)
        try await writer.close()
        let lost = Set(records[50..<100])
        #expect(try readAll(directory.path) == timeOrdered(records.filter { !lost.contains($0) }))
    }

    @Test func anEmptySegmentLeftByACrashIsRemoved() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let layout = SegmentDirectory(path: directory.path)
        _ = FileManager.default.createFile(atPath: layout.segmentPath(1), contents: Data(SegmentHeader(segmentID: 1, createdAt: 0).encode()))
        _ = FileManager.default.createFile(atPath: layout.segmentPath(2) + ".tmp", contents: Data([1, 2, 3]))
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration())
        #expect(writer.recovery.removedEmpty == [layout.segmentPath(1)])
        #expect(writer.recovery.removedTemporary == [layout.segmentPath(2) + ".tmp"])
        try await writer.append([LogRecord(time: 5, message: "after")])
        try await writer.close()
        #expect(try segmentPaths(directory.path) == [layout.segmentPath(2)])
    }
}

/// Flips the lowest bit of one byte of a file.
func flipByte(_ path: String, at offset: Int64) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(offset))
    let byte = try handle.read(upToCount: 1)![0]
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data([byte ^ 0x01]))
    try handle.close()
}
