import Foundation
import Logging
import Testing
import VigilCore
import VigilRegex
import VigilTestSupport
@testable import VigilStore

/// The store's own accounting under damage: `stats`, `verify` and queries agree on what is
/// readable, and a segment set aside for its header still gives back its good blocks.
@Suite struct StoreAccountingTests {
    @Test func statsVerifyAndQueriesAgreeOnWhatIsReadable() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let records = try await CorruptionTests.sealedStore(directory.path, blocks: 5)
        let victim = try StoreCatalog(directory: directory.path).blocks[1]
        try flipByte(victim.path, at: victim.offset + Int64(BlockHeader.size) + 5)

        let catalog = try StoreCatalog(directory: directory.path)
        let integrity = StoreStatistics.integrity(of: catalog)
        #expect(integrity.corruptBlocks == 1)
        #expect(integrity.unreadableRecords == victim.recordCount)
        #expect(integrity.corruptBytes == Int64(victim.length))
        let readable = StoreStatistics(catalog: catalog).records - integrity.unreadableRecords
        #expect(readable == records.count - victim.recordCount)
        #expect(try StoreReader(directory: directory.path).count(RecordFilter()) == readable)
        // verify names the damaged block (the footer's listing of it is a second line about it).
        let report = try StoreVerifier.verify(directory: directory.path)
        #expect(!report.problems.isEmpty && report.problems.allSatisfy { $0.offset == victim.offset }, "\(report.problems)")
        #expect(report.recordsChecked == readable)
    }

    /// A count agrees with what the same query prints, for every filter shape, once a block is
    /// damaged: blocks a count takes whole from their headers are skipped like a printing query
    /// skips them.
    @Test func countsAgreeWithPrintedRecordsForEveryFilterShapeAfterDamage() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let records = try await CorruptionTests.sealedStore(directory.path, blocks: 6)
        let victim = try StoreCatalog(directory: directory.path).blocks[2]
        try flipByte(victim.path, at: victim.offset + Int64(BlockHeader.size) + 7)
        let times = records.map(\.time).sorted()
        var filters: [(String, RecordFilter)] = [("all", RecordFilter())]
        var range = RecordFilter()
        range.since = times[times.count / 4]
        range.until = times[3 * times.count / 4]
        filters.append(("time range", range))
        var wide = RecordFilter()
        wide.since = times.first! - 1
        filters.append(("since before everything", wide))
        var severe = RecordFilter()
        severe.minimumSeverity = .err
        filters.append(("severity", severe))
        var service = RecordFilter()
        service.services = ["nginx"]
        filters.append(("service", service))
        var host = RecordFilter()
        host.hosts = ["web-1", "db-1"]
        filters.append(("hosts", host))
        var field = RecordFilter()
        field.fieldEquals = [(key: "k1", value: "v2")]
        filters.append(("field", field))
        var pattern = RecordFilter()
        pattern.messagePattern = try PCRE2Regex("timeout|error")
        filters.append(("regex", pattern))
        var combined = severe
        combined.since = range.since
        combined.services = ["nginx", "sshd"]
        filters.append(("combined", combined))
        for (name, filter) in filters {
            var warnings: [String] = []
            let printed = try readAll(directory.path, filter, warnings: &warnings).count
            let counted = try StoreReader(directory: directory.path).count(filter)
            #expect(counted == printed, "\(name): --count \(counted), printed \(printed)")
        }
    }

    @Test func aSegmentWithABadHeaderIsQuarantinedAndItsGoodBlocksSalvaged() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let records = try await CorruptionTests.sealedStore(directory.path, blocks: 4)
        let original = try #require(try segmentPaths(directory.path).first)
        try flipByte(original, at: 2)  // the segment magic

        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let writer = try StoreWriter(directory: directory.path, configuration: StoreConfiguration(), logger: quiet)
        #expect(writer.recovery.quarantined.count == 1)
        #expect(writer.recovery.salvaged.map(\.blocks) == [4])
        #expect(writer.recovery.salvaged.map(\.records) == [records.count])
        try await writer.close()

        // Every record is readable again, from the salvaged segment.
        #expect(try readAll(directory.path) == timeOrdered(records))
        // verify and stats say what quarantine/ holds, and why.
        let listed = QuarantineNote.list(directory: directory.path)
        #expect(listed.count == 1)
        #expect(listed.first?.reason?.contains("no segment magic") == true)
        let report = try StoreVerifier.verify(directory: directory.path)
        #expect(report.isClean)
        #expect(report.quarantined.map(\.path) == listed.map(\.path))
    }
}
