import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

/// A read decodes blocks ahead on worker threads (`BlockPrefetch`); what it returns, and in which
/// order, must not depend on how many.
@Suite struct PrefetchedReadTests {
    static func read(
        _ directory: String, _ filter: RecordFilter = RecordFilter(), reverse: Bool = false, limit: Int? = nil, threads: Int
    ) throws -> (records: [LogRecord], warnings: [String]) {
        var warnings: [String] = []
        let reader = try StoreReader(directory: directory) { warnings.append($0) }
        var records: [LogRecord] = []
        reader.read(filter, reverse: reverse, limit: limit, threads: threads) { records.append($0); return true }
        return (records, warnings)
    }

    @Test func oneTwoAndFiveThreadsReadTheSameRecordsInTheSameOrder() async throws {
        let directory = TemporaryDirectory("prefetch")
        defer { directory.remove() }
        let records = try await CorruptionTests.sealedStore(directory.path, blocks: 12)
        var severe = RecordFilter()
        severe.minimumSeverity = .err
        for (filter, reverse, limit) in [(RecordFilter(), false, nil), (RecordFilter(), true, nil), (severe, false, nil), (RecordFilter(), true, 150), (RecordFilter(), false, 1)] as [(RecordFilter, Bool, Int?)] {
            let one = try Self.read(directory.path, filter, reverse: reverse, limit: limit, threads: 1)
            for threads in [2, 5] {
                let many = try Self.read(directory.path, filter, reverse: reverse, limit: limit, threads: threads)
                #expect(many.records == one.records, "\(threads) threads, reverse \(reverse), limit \(String(describing: limit))")
                #expect(many.warnings.isEmpty)
            }
            if limit == nil && filter.minimumSeverity == nil {
                #expect(one.records == (reverse ? Array(timeOrdered(records).reversed()) : timeOrdered(records)))
            }
        }
    }

    @Test func aCorruptBlockIsSkippedAndWarnedAboutOnceWhateverTheThreads() async throws {
        let directory = TemporaryDirectory("prefetch-corrupt")
        defer { directory.remove() }
        let records = try await CorruptionTests.sealedStore(directory.path, blocks: 8)
        let victim = try StoreCatalog(directory: directory.path).blocks[5]
        try flipByte(victim.path, at: victim.offset + Int64(BlockHeader.size + 40))
        let lost = Set(records[500..<600])
        for threads in [1, 2, 5] {
            let (read, warnings) = try Self.read(directory.path, threads: threads)
            #expect(read == timeOrdered(records.filter { !lost.contains($0) }), "\(threads) threads")
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("offset \(victim.offset)") == true)
        }
    }

    /// A reader that stops early (`body` returns false) stops the workers and returns.
    @Test func stoppingEarlyLeavesNoWorkBehind() async throws {
        let directory = TemporaryDirectory("prefetch-stop")
        defer { directory.remove() }
        _ = try await CorruptionTests.sealedStore(directory.path, blocks: 10)
        let reader = try StoreReader(directory: directory.path)
        for stopAfter in [1, 99, 100, 101, 450] {
            var seen = 0
            reader.read(RecordFilter(), threads: 3) { _ in
                seen += 1
                return seen < stopAfter
            }
            #expect(seen == stopAfter)
        }
    }

    /// A read that keeps only some fields returns the same records with only those fields, and
    /// with none kept the field column need not be read at all.
    @Test func aFieldSelectionKeepsOnlyTheNamedFields() async throws {
        let directory = TemporaryDirectory("prefetch-fields")
        defer { directory.remove() }
        let records = timeOrdered(try await CorruptionTests.sealedStore(directory.path, blocks: 4))
        let reader = try StoreReader(directory: directory.path)
        let someKey = try #require(records.lazy.flatMap { $0.fields.map(\.key) }.first)
        for selection in [FieldSelection.only([someKey]), .only([]), .only(["no-such-key"])] {
            for threads in [1, 3] {
                var read: [LogRecord] = []
                reader.read(RecordFilter(), fields: selection, threads: threads) { read.append($0); return true }
                guard case .only(let names) = selection else { continue }
                let expected = records.map { record in
                    var kept = record
                    kept.fields = LogFields()
                    for (key, value) in record.fields where names.contains(key) { kept.fields[key] = value }
                    return kept
                }
                #expect(read == expected, "\(selection), \(threads) threads")
            }
        }
    }
}
