import Foundation
import Logging
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// Damaged and crafted segment files: whatever a byte on disk says, the reader, `verify`, `stats`
/// and the writer's recovery answer with an error or a warning — never a trap, never an allocation
/// sized by a number nobody checked — and the store still opens and takes new records.
@Suite struct DamagedSegmentTests {
    /// A store of one small sealed segment (three blocks) and its file's bytes.
    static func sealedSegment(_ directory: String) async throws -> (path: String, bytes: [UInt8]) {
        var random = SplitMix(seed: 7)
        let writer = try StoreWriter(directory: directory, configuration: StoreConfiguration())
        for round in 0..<3 {
            try await writer.append(RecordFactory.records(count: 12, base: 1_763_000_000_000_000_000 + Int64(round) * 1_000_000_000_000, using: &random))
        }
        try await writer.close()
        let path = try #require(try segmentPaths(directory).first)
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Everything a user or vigild does with a data directory, in process: a trap fails the test.
    static func exercise(_ directory: String) async throws {
        var warnings: [String] = []
        if let reader = try? StoreReader(directory: directory, onWarning: { warnings.append($0) }) {
            _ = reader.count(RecordFilter())
            reader.read(RecordFilter()) { _ in true }
            reader.read(RecordFilter(), reverse: true, limit: 5) { _ in true }
            _ = reader.histogram(RecordFilter(), start: 1_762_000_000_000_000_000, width: 3_600_000_000_000, buckets: 48, newest: 5)
            _ = StoreStatistics(catalog: reader.catalog)
        }
        _ = try? StoreVerifier.verify(directory: directory)
        // vigild's start: recovery (its reports silenced: thousands of them), then an append and a clean close.
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let writer = try StoreWriter(directory: directory, configuration: StoreConfiguration(), logger: quiet)
        var random = SplitMix(seed: 1)
        try await writer.append(RecordFactory.records(count: 3, using: &random))
        try await writer.close()
        let after = try StoreReader(directory: directory)
        #expect(after.count(RecordFilter()) >= 3)
    }

    @Test func aChangedByteAnywhereInASealedSegmentIsReportedNeverTrapped() async throws {
        let base = TemporaryDirectory("flipAll")
        defer { base.remove() }
        let (path, bytes) = try await Self.sealedSegment(base.path + "/original")
        let name = (path as NSString).lastPathComponent
        for offset in 0..<bytes.count {
            // Every bit of a byte turned, or only its lowest (a length off by one), by turns.
            for value: UInt8 in [bytes[offset] ^ (offset % 2 == 0 ? 0xFF : 0x01)] {
                let directory = base.path + "/d"
                try? FileManager.default.removeItem(atPath: directory)
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                var damaged = bytes
                damaged[offset] = value
                try Data(damaged).write(to: URL(fileURLWithPath: directory + "/" + name))
                try await Self.exercise(directory)
            }
        }
    }

    /// Values a crafted file could hold behind valid checksums: the checksum is recomputed after
    /// each change, so only the value checks stand between it and the reader.
    @Test func absurdValuesBehindValidChecksumsAreRefused() async throws {
        let base = TemporaryDirectory("absurd")
        defer { base.remove() }
        let (path, bytes) = try await Self.sealedSegment(base.path + "/original")
        let name = (path as NSString).lastPathComponent
        let trailerStart = bytes.count - SegmentFooter.trailerSize
        let count = Int(UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: trailerStart + 12, as: UInt32.self) }))
        let indexStart = trailerStart - count * BlockIndexEntry.size
        let firstBlock = SegmentHeader.size

        func footerCRC(_ file: inout [UInt8]) {
            let crc = CRC32C.checksum(Array(file[indexStart..<(file.count - 4)]))
            withUnsafeBytes(of: crc.littleEndian) { file.replaceSubrange((file.count - 4)..<file.count, with: $0) }
        }
        func headerCRC(_ file: inout [UInt8], at offset: Int) {
            let crc = CRC32C.checksum(Array(file[offset..<(offset + 60)]))
            withUnsafeBytes(of: crc.littleEndian) { file.replaceSubrange((offset + 60)..<(offset + 64), with: $0) }
        }
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in file: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { file.replaceSubrange(offset..<(offset + MemoryLayout<T>.size), with: $0) }
        }
        var crafted: [(String, [UInt8])] = []
        for value in [UInt64.max, UInt64(Int64.max), 1 << 40, 0, UInt64(bytes.count)] {
            var file = bytes
            put(value, at: indexStart, in: &file)  // the first entry's offset
            footerCRC(&file)
            crafted.append(("entry offset \(value)", file))
            file = bytes
            put(value, at: trailerStart + 16, in: &file)  // the index's start
            footerCRC(&file)
            crafted.append(("index start \(value)", file))
        }
        for value in [UInt32.max, 0, 63, UInt32(bytes.count)] {
            var file = bytes
            put(value, at: indexStart + 8, in: &file)  // the first entry's length
            footerCRC(&file)
            crafted.append(("entry length \(value)", file))
            file = bytes
            put(value, at: indexStart + 12, in: &file)  // the first entry's record count
            footerCRC(&file)
            crafted.append(("entry records \(value)", file))
            file = bytes
            put(value, at: trailerStart + 12, in: &file)  // the entry count
            footerCRC(&file)
            crafted.append(("entry count \(value)", file))
            // The first block's header: the record count and the columns' compressed and raw lengths.
            for field in [8, 32, 36, 40, 44, 48, 52] {
                file = bytes
                put(value, at: firstBlock + field, in: &file)
                headerCRC(&file, at: firstBlock)
                crafted.append(("block header byte \(field) = \(value)", file))
            }
        }
        for (minTime, maxTime) in [(Int64.max, Int64.min), (Int64.min, Int64.max)] {
            var file = bytes
            put(minTime, at: firstBlock + 12, in: &file)
            put(maxTime, at: firstBlock + 20, in: &file)
            headerCRC(&file, at: firstBlock)
            crafted.append(("block times \(minTime)…\(maxTime)", file))
        }
        for (what, file) in crafted {
            let directory = base.path + "/d"
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(file).write(to: URL(fileURLWithPath: directory + "/" + name))
            try await Self.exercise(directory)
            _ = what
        }
    }
}
