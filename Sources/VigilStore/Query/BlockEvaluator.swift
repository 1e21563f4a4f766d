import Foundation
import VigilCore
import VigilRegex

/// Reads blocks and evaluates a filter on them. Holds per-thread state (decompression context, regex
/// match data, open files), so each thread of a scan has its own evaluator.
final class BlockEvaluator {
    let filter: RecordFilter
    private let decompressor = BlockDecompressor()
    private let scratch: PCRE2Regex.Scratch?
    /// The segment files listed, by path (see `SegmentSummary`): blocks are read from these.
    private var files: [String: PosixFile]

    /// The fields the blocks it reads rebuild.
    let fields: FieldSelection

    init(filter: RecordFilter, fields: FieldSelection = .all, files: [String: PosixFile]) {
        self.filter = filter
        self.fields = fields
        self.files = files
        scratch = filter.messagePattern?.makeScratch()
    }

    /// Reads the blocks of `segment` from the file it was listed from.
    func use(_ segment: SegmentSummary) {
        files[segment.path] = segment.file
    }

    /// Reads and checks one block.
    func read(_ location: BlockLocation) throws(StoreError) -> DecodedBlock {
        let (bytes, header, location) = try checkedBytes(location)
        do {
            let block = try DecodedBlock(header: header, block: bytes, decompressor: decompressor)
            block.select(fields)
            return block
        } catch {
            throw .corruptBlock(path: location.path, offset: location.offset, reason: Self.describe(error))
        }
    }

    /// Reads and checks a block and finds its matches, with what rebuilding them needs
    /// decompressed: the columns up to the last match.
    func readMatches(_ location: BlockLocation) throws(StoreError) -> (block: DecodedBlock, matches: [Int]) {
        let block = try read(location)
        do throws(FormatError) {
            let matches = try self.matches(in: block)
            if let last = matches.last { try block.loadColumns(through: last) }
            return (block, matches)
        } catch {
            throw .corruptBlock(path: location.path, offset: location.offset, reason: Self.describe(error))
        }
    }

    /// The block's record count once its header and payload checksums hold, without
    /// decompressing it: how a count that the block matches whole still skips a damaged block.
    func checkedRecordCount(_ location: BlockLocation) throws(StoreError) -> Int {
        let (bytes, header, location) = try checkedBytes(location)
        let payload = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[BlockHeader.size...])) }
        guard payload == header.payloadChecksum else {
            throw .corruptBlock(path: location.path, offset: location.offset, reason: "payload checksum mismatch")
        }
        return Int(header.recordCount)
    }

    /// The block's bytes and decoded header, its length checked against the index.
    private func checkedBytes(_ location: BlockLocation) throws(StoreError) -> ([UInt8], BlockHeader, BlockLocation) {
        let file: PosixFile
        if let open = files[location.path] {
            file = open
        } else {
            file = try PosixFile(path: location.path, flags: O_RDONLY)
            files[location.path] = file
        }
        let bytes = try file.read(at: location.offset, count: location.length)
        let corrupt = { (reason: String) in StoreError.corruptBlock(path: location.path, offset: location.offset, reason: reason) }
        guard bytes.count == location.length else { throw corrupt("file ends inside the block") }
        let header: BlockHeader
        switch bytes.withUnsafeBytes({ BlockHeader.decode($0) }) {
        case .success(let decoded): header = decoded
        case .failure(let failure): throw corrupt(failure.description)
        }
        guard header.totalLength == location.length else { throw corrupt("block length disagrees with the segment index") }
        return (bytes, header, location)
    }

    static func describe(_ error: FormatError) -> String {
        switch error {
        case .truncated: "column data ends early"
        case .invalid(let reason): reason
        }
    }

    /// Counts the matches in a block, without decompressing it where the filter takes the block
    /// whole (its checksums are still checked, so a damaged block counts as it reads: not at all).
    func count(_ location: BlockLocation) throws(StoreError) -> Int {
        if filter.excludes(minTime: location.minTime, maxTime: location.maxTime, severityMask: location.severityMask) { return 0 }
        if filter.includesAll(minTime: location.minTime, maxTime: location.maxTime, severityMask: location.severityMask) {
            return try checkedRecordCount(location)
        }
        let block = try read(location)
        do {
            return try matches(in: block).count
        } catch {
            throw .corruptBlock(path: location.path, offset: location.offset, reason: Self.describe(error))
        }
    }

    /// The indexes (in time order) of the records of `block` that match the filter.
    func matches(in block: DecodedBlock) throws(FormatError) -> [Int] {
        let n = block.count
        var candidates = [Bool](repeating: true, count: n)
        var any = true
        func restrict(_ keep: (Int) -> Bool) {
            any = false
            for i in 0..<n where candidates[i] {
                if keep(i) { any = true } else { candidates[i] = false }
            }
        }
        let header = block.header
        if let since = filter.since, header.minTime < since { restrict { block.times[$0] >= since } }
        if any, let until = filter.until, header.maxTime > until { restrict { block.times[$0] <= until } }
        if any, let minimum = filter.minimumSeverity {
            let limit = minimum.rawValue
            restrict { block.flags[$0] & 0x07 <= limit }
        }
        // `--service`/`--host` lists (any of, globs allowed) and `--field service=…`/`host=…` (exact)
        // are decided once per dictionary entry, then per record by index.
        let exactServices = filter.fieldEquals.filter { $0.key == "service" }.map(\.value)
        let exactHosts = filter.fieldEquals.filter { $0.key == "host" }.map(\.value)
        let fields = filter.fieldEquals.filter { $0.key != "service" && $0.key != "host" }
        if any, !filter.services.isEmpty || !exactServices.isEmpty {
            let wanted = Self.allowedEntries(block.services, patterns: filter.services, exact: exactServices)
            restrict { wanted.contains(Int(block.serviceIndexes[$0])) }
        }
        if any, !filter.hosts.isEmpty || !exactHosts.isEmpty {
            let wanted = Self.allowedEntries(block.hosts, patterns: filter.hosts, exact: exactHosts)
            restrict { wanted.contains(Int(block.hostIndexes[$0])) }
        }
        if any, !fields.isEmpty {
            var wanted: [(key: Int, value: [UInt8])] = []
            for (key, value) in fields {
                guard let index = block.fieldKeys.firstIndex(of: key) else { return [] }
                wanted.append((index, Array(value.utf8)))
            }
            try block.loadFields()
            var failure: FormatError?
            restrict { i in
                var found = 0
                do throws(FormatError) {
                    try block.forEachField(of: i) { key, value in
                        for w in wanted where w.key == key && value.elementsEqual(w.value) { found += 1 }
                        return true
                    }
                } catch { failure = error }
                return found == wanted.count
            }
            if let failure { throw failure }
        }
        if any, let pattern = filter.messagePattern, let scratch {
            var matched = [Bool](repeating: false, count: n)
            try block.loadMessages()
            _ = try? block.withMessages { column in
                pattern.matchColumn(column, starts: block.messageStarts, candidates: candidates, scratch: scratch, into: &matched)
            }
            candidates = matched
        }
        guard any else { return [] }
        return (0..<n).filter { candidates[$0] }
    }

    /// Indexes of the dictionary entries that match any of `patterns` (all entries when there are
    /// none) and equal every value of `exact`.
    private static func allowedEntries(_ dictionary: [String], patterns: [String], exact: [String]) -> Set<Int> {
        Set(
            dictionary.indices.filter { i in
                (patterns.isEmpty || patterns.contains { GlobPattern.matches($0, dictionary[i]) })
                    && exact.allSatisfy { $0 == dictionary[i] }
            })
    }
}
