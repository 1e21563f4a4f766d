import VigilCore

/// Turns a batch of records into one block: a checksummed header and three compressed column groups.
///
/// - meta: dictionaries (hosts, services, field keys) and per-record columns (time deltas, receive-time
///   deltas, severity and flags, facility, host and service indexes, message lengths, field counts,
///   source sizes), each column contiguous so it compresses well and decodes without the others;
/// - messages: every message followed by `\n`, so a regular expression can scan the column as one buffer;
/// - fields: per record, `(key index, value length, value)` triples, keys sorted (`LogFields` keeps them so).
///
/// Records are sorted by event time (stably) before encoding, so a block reads back in time order.
final class BlockEncoder {
    private let compressor: BlockCompressor
    /// Its blocks are marked as catch-up blocks (written with the catch-up codec).
    private let catchUp: Bool

    init(codec: CompressionCodec, zstdLevel: Int, catchUp: Bool = false) {
        compressor = BlockCompressor(codec: codec, zstdLevel: zstdLevel)
        self.catchUp = catchUp
    }

    /// Encodes `records` (with their source sizes) into `output`, returning the block's header,
    /// with columns of its own (the tests' way; the writer passes columns it reuses).
    func encode(_ records: ArraySlice<LogRecord>, sourceSizes: ArraySlice<Int>, into output: inout [UInt8]) throws(StoreError) -> BlockHeader {
        var columns = BlockColumns()
        return try encode(records, sourceSizes: sourceSizes, into: &output, columns: &columns)
    }

    /// Encodes `records` as above, building the columns in `columns`: a writer that encodes block
    /// after block passes the same columns each time, so their buffers are reused instead of
    /// allocated (and, when large, mapped and faulted in page by page) for every block.
    func encode(
        _ records: ArraySlice<LogRecord>, sourceSizes: ArraySlice<Int>, into output: inout [UInt8], columns: inout BlockColumns
    ) throws(StoreError) -> BlockHeader {
        precondition(!records.isEmpty && records.count == sourceSizes.count)
        let order = Self.timeOrder(records)
        var hosts = Interner(), services = Interner(), keys = Interner()

        let n = order.count
        let minTime = records[order.first!].time
        let maxTime = records[order.last!].time
        columns.reset(records: n)
        var severityMask: UInt8 = 0
        var totalSource: UInt64 = 0
        var previous = minTime

        let base = records.startIndex
        records.withUnsafeBufferPointer { records in
            for i in order {
                let offset = i - base
                let time = records[offset].time
                columns.times.signedVarint(time &- previous)
                previous = time
                columns.received.signedVarint(records[offset].receivedAt &- time)
                let severity = records[offset].severity.rawValue
                severityMask |= 1 << severity
                var flag = severity
                if records[offset].isRaw { flag |= 0x08 }
                let facility = records[offset].facility
                if facility != nil { flag |= 0x10 }
                columns.flags.u8(flag)
                columns.facilities.u8(facility?.rawValue ?? 0)
                columns.hostIndexes.varint(hosts.index(of: records[offset].host))
                columns.serviceIndexes.varint(services.index(of: records[offset].service))
                // Native strings are contiguous and borrowed as they are; others are copied once.
                // (Closures rather than one local function: a local function captures the
                // writers in boxes, checked for exclusive access at run time on every call.)
                columns.messageLengths.varint(records[offset].message.utf8.count)
                if records[offset].message.utf8.withContiguousStorageIfAvailable({ columns.messages.bytes.append(contentsOf: $0) }) == nil {
                    var message = records[offset].message
                    message.withUTF8 { columns.messages.bytes.append(contentsOf: $0) }
                }
                columns.messages.u8(0x0A)
                // Fields are kept sorted by key: one order for every record with the same keys,
                // which compresses better.
                columns.fieldCounts.varint(records[offset].fields.count)
                records[offset].fields.forEachField { key, value in
                    columns.fields.varint(keys.index(of: key))
                    columns.fields.string(value)
                }
                let size = sourceSizes[sourceSizes.startIndex + offset]
                columns.sourceSizes.varint(size)
                totalSource += UInt64(size)
            }
        }

        for list in [hosts.values, services.values, keys.values] {
            columns.meta.varint(list.count)
            for value in list { columns.meta.string(value) }
        }
        columns.appendPerRecordColumnsToMeta()

        let headerStart = output.count
        output.append(contentsOf: repeatElement(0, count: BlockHeader.size))
        let payloadStart = output.count
        let metaLength = try compressor.compress(columns.meta.bytes, appendingTo: &output)
        let messagesLength = try compressor.compress(columns.messages.bytes, appendingTo: &output)
        let fieldsLength = try compressor.compress(columns.fields.bytes, appendingTo: &output)
        let checksum = CRC32C.checksum(output[payloadStart...])
        let header = BlockHeader(
            codec: compressor.codec, severityMask: severityMask, recordCount: UInt32(n), minTime: minTime,
            maxTime: maxTime, sourceBytes: UInt32(clamping: totalSource),
            compressedLengths: (UInt32(metaLength), UInt32(messagesLength), UInt32(fieldsLength)),
            rawLengths: (UInt32(columns.meta.count), UInt32(columns.messages.count), UInt32(columns.fields.count)),
            payloadChecksum: checksum, isCatchUp: catchUp)
        var headerBytes = ByteWriter(capacity: BlockHeader.size)
        header.encode(into: &headerBytes)
        output.replaceSubrange(headerStart..<(headerStart + BlockHeader.size), with: headerBytes.bytes)
        return header
    }
}

extension BlockEncoder {
    /// The indices of `records` in event-time order, ties in arrival order. Most batches arrive
    /// in time order already, which one pass over the times confirms.
    static func timeOrder(_ records: ArraySlice<LogRecord>) -> [Int] {
        let times = records.map(\.time)
        let base = records.startIndex
        if zip(times, times.dropFirst()).allSatisfy({ $0 <= $1 }) { return Array(records.indices) }
        // (time, position) pairs compare directly, ties in arrival order: no lookups per comparison.
        return times.enumerated().map { ($0.element, $0.offset) }.sorted { $0 < $1 }.map { $0.1 + base }
    }
}

/// Numbers the distinct strings of a column in order of first appearance.
///
/// An open-addressing table keyed by a 64-bit FNV-1a hash of each string's UTF-8 bytes: a column
/// holds few distinct values (hosts, services, field names), each asked for once per record, and
/// the standard library's seeded string hashing cost several times more per lookup here.
private struct Interner {
    private(set) var values: [String] = []
    private var hashes: [UInt64] = []
    /// Indexes into `values`, or -1 for an empty slot; the count is a power of two, at least twice
    /// the number of values.
    private var slots = [Int32](repeating: -1, count: 32)

    /// The number of `value`, assigning the next one to a new value.
    mutating func index(of value: String) -> Int {
        let hash = value.utf8.withContiguousStorageIfAvailable(Self.hash) ?? {
            var copy = value
            return copy.withUTF8(Self.hash)
        }()
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if hashes[index] == hash, values[index] == value { return index }
            slot = (slot + 1) & mask
        }
        let index = values.count
        values.append(value)
        hashes.append(hash)
        slots[slot] = Int32(index)
        if values.count * 2 > slots.count { rehash(slotCount: slots.count * 2) }
        return index
    }

    private mutating func rehash(slotCount: Int) {
        slots = [Int32](repeating: -1, count: slotCount)
        let mask = slotCount - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        // Fold the high bits in: the table indexes by the low bits.
        return hash ^ (hash >> 29)
    }
}
