import VigilCore

/// Turns a batch of records into one block: a checksummed header and three compressed column groups.
///
/// - meta: dictionaries (hosts, services, field keys) and per-record columns (time deltas, receive-time
///   deltas, severity and flags, facility, host and service indexes, message lengths, field counts,
///   source sizes), each column contiguous so it compresses well and decodes without the others;
/// - messages: every message followed by `\n`, so a regular expression can scan the column as one buffer;
/// - fields: per record, `(key index, value length, value)` triples, keys sorted.
///
/// Records are sorted by event time (stably) before encoding, so a block reads back in time order.
final class BlockEncoder {
    private let compressor: BlockCompressor

    init(codec: CompressionCodec, zstdLevel: Int) {
        compressor = BlockCompressor(codec: codec, zstdLevel: zstdLevel)
    }

    /// Encodes `records` (with their source sizes) into `output`, returning the block's header.
    func encode(_ records: ArraySlice<LogRecord>, sourceSizes: ArraySlice<Int>, into output: inout [UInt8]) throws(StoreError) -> BlockHeader {
        precondition(!records.isEmpty && records.count == sourceSizes.count)
        let order = records.indices.sorted { a, b in
            let ta = records[a].time, tb = records[b].time
            return ta != tb ? ta < tb : a < b
        }
        var hostIndex: [String: Int] = [:]
        var serviceIndex: [String: Int] = [:]
        var keyIndex: [String: Int] = [:]
        var hosts: [String] = [], services: [String] = [], keys: [String] = []
        func intern(_ value: String, _ index: inout [String: Int], _ list: inout [String]) -> Int {
            if let i = index[value] { return i }
            index[value] = list.count
            list.append(value)
            return list.count - 1
        }

        let n = order.count
        let minTime = records[order.first!].time
        let maxTime = records[order.last!].time
        var times = ByteWriter(capacity: n * 2)
        var received = ByteWriter(capacity: n * 2)
        var flags = ByteWriter(capacity: n)
        var facilities = ByteWriter(capacity: n)
        var hostColumn = ByteWriter(capacity: n)
        var serviceColumn = ByteWriter(capacity: n)
        var messageLengths = ByteWriter(capacity: n * 2)
        var fieldCounts = ByteWriter(capacity: n)
        var sourceColumn = ByteWriter(capacity: n * 2)
        var messages = ByteWriter(capacity: n * 100)
        var fields = ByteWriter(capacity: n * 32)
        var sortedFields: [(key: String, value: String)] = []
        var severityMask: UInt8 = 0
        var totalSource: UInt64 = 0
        var previous = minTime

        for i in order {
            let record = records[i]
            times.signedVarint(record.time &- previous)
            previous = record.time
            received.signedVarint(record.receivedAt &- record.time)
            severityMask |= 1 << record.severity.rawValue
            var flag = record.severity.rawValue
            if record.isRaw { flag |= 0x08 }
            if record.facility != nil { flag |= 0x10 }
            flags.u8(flag)
            facilities.u8(record.facility?.rawValue ?? 0)
            hostColumn.varint(intern(record.host, &hostIndex, &hosts))
            serviceColumn.varint(intern(record.service, &serviceIndex, &services))
            var message = record.message
            message.withUTF8 { utf8 in
                messageLengths.varint(utf8.count)
                messages.bytes.append(contentsOf: utf8)
            }
            messages.u8(0x0A)
            fieldCounts.varint(record.fields.count)
            if record.fields.count == 1, let (key, value) = record.fields.first {
                fields.varint(intern(key, &keyIndex, &keys))
                fields.string(value)
            } else if !record.fields.isEmpty {
                // Keys in sorted order (one order for every record with the same keys compresses
                // better); the scratch array keeps its storage from record to record.
                sortedFields.removeAll(keepingCapacity: true)
                sortedFields.append(contentsOf: record.fields)
                sortedFields.sort { $0.key < $1.key }
                for (key, value) in sortedFields {
                    fields.varint(intern(key, &keyIndex, &keys))
                    fields.string(value)
                }
            }
            let size = sourceSizes[sourceSizes.startIndex + (i - records.startIndex)]
            sourceColumn.varint(size)
            totalSource += UInt64(size)
        }

        var meta = ByteWriter(capacity: n * 8 + 256)
        for list in [hosts, services, keys] {
            meta.varint(list.count)
            for value in list { meta.string(value) }
        }
        for column in [times, received, flags, facilities, hostColumn, serviceColumn, messageLengths, fieldCounts, sourceColumn] {
            meta.varint(column.count)
            meta.append(column.bytes)
        }

        let headerStart = output.count
        output.append(contentsOf: repeatElement(0, count: BlockHeader.size))
        let payloadStart = output.count
        let metaLength = try compressor.compress(meta.bytes, appendingTo: &output)
        let messagesLength = try compressor.compress(messages.bytes, appendingTo: &output)
        let fieldsLength = try compressor.compress(fields.bytes, appendingTo: &output)
        let checksum = CRC32C.checksum(output[payloadStart...])
        let header = BlockHeader(
            codec: compressor.codec, severityMask: severityMask, recordCount: UInt32(n), minTime: minTime,
            maxTime: maxTime, sourceBytes: UInt32(clamping: totalSource),
            compressedLengths: (UInt32(metaLength), UInt32(messagesLength), UInt32(fieldsLength)),
            rawLengths: (UInt32(meta.count), UInt32(messages.count), UInt32(fields.count)),
            payloadChecksum: checksum)
        var headerBytes = ByteWriter(capacity: BlockHeader.size)
        header.encode(into: &headerBytes)
        output.replaceSubrange(headerStart..<(headerStart + BlockHeader.size), with: headerBytes.bytes)
        return header
    }
}
