import VigilCore

/// A block read from disk, decoded column group by column group as a query needs them.
///
/// Decoding the meta group (a few bytes per record) answers time, severity, host and service
/// filters; the message column is decompressed only for a regular expression or for output, and the
/// field column only for field filters or output.
final class DecodedBlock {
    let header: BlockHeader
    /// The payload, from `payloadStart` on (the block's header may come before it).
    private let storage: [UInt8]
    private let payloadStart: Int
    private let decompressor: BlockDecompressor

    private(set) var hosts: [String] = []
    private(set) var services: [String] = []
    private(set) var fieldKeys: [String] = []
    private(set) var times: [Int64] = []
    private(set) var receivedAt: [Int64] = []
    private(set) var flags: [UInt8] = []
    private(set) var facilities: [UInt8] = []
    private(set) var hostIndexes: [Int32] = []
    private(set) var serviceIndexes: [Int32] = []
    /// Start offset of each message in `messages`; `messageStarts[n]` is the end sentinel.
    private(set) var messageStarts: [Int] = []
    private(set) var fieldCounts: [Int32] = []
    private(set) var sourceSizes: [Int32] = []

    /// The message column, or as much of its start as the records asked for so far need.
    private var messageBytes: [UInt8] = []
    /// The field column, or a start of it, as `messageBytes`.
    private var fieldBytes: [UInt8] = []
    /// The field keys (indexes into `fieldKeys`) that `fields(of:)` and `record(at:)` rebuild;
    /// nil for all of them (see `select(_:)`).
    private var keptKeys: Set<Int>?
    /// Where the fields of records 0, 1, … start in `fieldBytes`, as far as they are indexed, and
    /// where the last indexed record's end: `k + 1` entries once `k` records are indexed.
    private var fieldStarts: [Int] = []

    var count: Int { Int(header.recordCount) }

    /// Checks the payload checksum and decodes the meta column group.
    convenience init(header: BlockHeader, payload: [UInt8], decompressor: BlockDecompressor) throws(FormatError) {
        try self.init(header: header, storage: payload, payloadStart: 0, decompressor: decompressor)
    }

    /// The block whose bytes (header, then payload) are `block`, read without copying the payload.
    convenience init(header: BlockHeader, block: [UInt8], decompressor: BlockDecompressor) throws(FormatError) {
        try self.init(header: header, storage: block, payloadStart: BlockHeader.size, decompressor: decompressor)
    }

    private init(header: BlockHeader, storage: [UInt8], payloadStart: Int, decompressor: BlockDecompressor) throws(FormatError) {
        self.header = header
        self.storage = storage
        self.payloadStart = payloadStart
        self.decompressor = decompressor
        let length = storage.count - payloadStart
        guard length == header.payloadLength else { throw .invalid("payload is \(length) bytes, header says \(header.payloadLength)") }
        let checksum = storage.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[payloadStart...])) }
        guard checksum == header.payloadChecksum else { throw .invalid("payload checksum mismatch") }
        try decodeMeta()
    }

    private func section(_ index: Int) -> Range<Int> {
        let c = header.compressedLengths
        let starts = [0, Int(c.meta), Int(c.meta) + Int(c.messages), header.payloadLength]
        return (payloadStart + starts[index])..<(payloadStart + starts[index + 1])
    }

    /// Runs `body` with the compressed bytes of column group `index`.
    private func withSection(_ index: Int, _ body: (UnsafeRawBufferPointer) throws(FormatError) -> Void) throws(FormatError) {
        let range = section(index)
        var failure: FormatError?
        storage.withUnsafeBytes { raw in
            do throws(FormatError) { try body(UnsafeRawBufferPointer(rebasing: raw[range])) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Decompresses the start of column group `index` until `enough` is satisfied (see
    /// `BlockDecompressor.decompressPrefix`).
    private func decompressPrefix(
        _ index: Int, rawLength: UInt32, into output: inout [UInt8], enough: (UnsafeRawBufferPointer) throws(FormatError) -> Bool
    ) throws(FormatError) {
        try withSection(index) { compressed throws(FormatError) in
            try decompressor.decompressPrefix(compressed, codec: header.codec, rawLength: Int(rawLength), into: &output, enough: enough)
        }
    }

    private func decodeMeta() throws(FormatError) {
        var meta: [UInt8] = []
        try withSection(0) { compressed throws(FormatError) in
            try decompressor.decompress(compressed, codec: header.codec, rawLength: Int(header.rawLengths.meta), into: &meta)
        }
        let n = count
        var failure: FormatError?
        meta.withUnsafeBytes { raw in
            do {
                var r = ByteReader(raw)
                func strings() throws(FormatError) -> [String] {
                    let c = try r.length()
                    var list: [String] = []
                    list.reserveCapacity(c)
                    for _ in 0..<c { list.append(try r.string()) }
                    return list
                }
                hosts = try strings()
                services = try strings()
                fieldKeys = try strings()
                func column() throws(FormatError) -> ByteReader {
                    let length = try r.length()
                    return ByteReader(try r.bytes(length))
                }
                // Columns are built in locals and stored once: appending to a class's stored
                // array checks exclusive access on every call.
                var t = try column()
                var times = [Int64]()
                times.reserveCapacity(n)
                var previous = header.minTime
                for _ in 0..<n {
                    previous &+= try t.signedVarint()
                    times.append(previous)
                }
                var rc = try column()
                var receivedAt = [Int64]()
                receivedAt.reserveCapacity(n)
                for i in 0..<n { receivedAt.append(times[i] &+ (try rc.signedVarint())) }
                let f = try column()
                guard f.remaining == n else { throw FormatError.invalid("flag column has \(f.remaining) entries, expected \(n)") }
                let fc = try column()
                guard fc.remaining == n else { throw FormatError.invalid("facility column has \(fc.remaining) entries, expected \(n)") }
                func indexes(_ limit: Int, _ name: String) throws(FormatError) -> [Int32] {
                    var c = try column()
                    var out = [Int32]()
                    out.reserveCapacity(n)
                    for _ in 0..<n {
                        let v = try c.varint()
                        guard v < UInt64(limit) else { throw FormatError.invalid("\(name) index \(v) out of range") }
                        out.append(Int32(v))
                    }
                    return out
                }
                let hostIndexes = try indexes(hosts.count, "host")
                let serviceIndexes = try indexes(services.count, "service")
                var ml = try column()
                var messageStarts = [Int]()
                messageStarts.reserveCapacity(n + 1)
                var offset = 0
                for _ in 0..<n {
                    messageStarts.append(offset)
                    offset += Int(try ml.varint()) + 1
                }
                messageStarts.append(offset)
                guard offset == Int(header.rawLengths.messages) else {
                    throw FormatError.invalid("message lengths add up to \(offset), column holds \(header.rawLengths.messages)")
                }
                var fcnt = try column()
                var fieldCounts = [Int32]()
                fieldCounts.reserveCapacity(n)
                for _ in 0..<n { fieldCounts.append(Int32(clamping: try fcnt.varint())) }
                var ss = try column()
                var sourceSizes = [Int32]()
                sourceSizes.reserveCapacity(n)
                for _ in 0..<n { sourceSizes.append(Int32(clamping: try ss.varint())) }
                self.times = times
                self.receivedAt = receivedAt
                flags = Array(f.base)
                facilities = Array(fc.base)
                self.hostIndexes = hostIndexes
                self.serviceIndexes = serviceIndexes
                self.messageStarts = messageStarts
                self.fieldCounts = fieldCounts
                self.sourceSizes = sourceSizes
            } catch let error as FormatError {
                failure = error
            } catch {
                failure = .invalid("\(error)")
            }
        }
        if let failure { throw failure }
    }

    func severity(at i: Int) -> Severity { Severity(rawValue: flags[i] & 0x07)! }

    /// Decompresses the message column (once).
    func loadMessages() throws(FormatError) {
        guard count > 0 else { return }
        try loadMessages(through: count - 1)
    }

    /// Decompresses as much of the message column as records `0...last` need: a start of it the
    /// first time, the whole column when a start was not enough (extending a start step by step
    /// would decompress it again each time, as a caller going through every record would).
    func loadMessages(through last: Int) throws(FormatError) {
        let needed = messageStarts[last + 1]
        guard messageBytes.count < needed else { return }
        let target = messageBytes.isEmpty ? needed : messageStarts[count]
        try decompressPrefix(1, rawLength: header.rawLengths.messages, into: &messageBytes) { $0.count >= target }
    }

    /// Rebuild only the fields `selection` keeps (field filters still see every field).
    func select(_ selection: FieldSelection) {
        switch selection {
        case .all: keptKeys = nil
        case .only(let names): keptKeys = Set(fieldKeys.indices.filter { names.contains(fieldKeys[$0]) })
        }
    }

    /// Decompresses what rebuilding records `0...last` needs: messages up to `last`'s, and fields
    /// up to `last`'s unless the block holds none of the keys kept.
    func loadColumns(through last: Int) throws(FormatError) {
        try loadMessages(through: last)
        if keptKeys?.isEmpty != true { try loadFields(through: last) }
    }

    /// Runs `body` over the message column: each message followed by `\n`, starts in `messageStarts`.
    func withMessages<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        try loadMessages()
        return try messageBytes.withUnsafeBytes(body)
    }

    func message(at i: Int) throws(FormatError) -> String {
        try loadMessages(through: i)
        return String(decoding: messageBytes[messageStarts[i]..<(messageStarts[i + 1] - 1)], as: UTF8.self)
    }

    /// Decompresses the field column and indexes where each record's fields start (once).
    func loadFields() throws(FormatError) {
        guard count > 0 else { return }
        try loadFields(through: count - 1)
    }

    /// Decompresses and indexes as much of the field column as records `0...last` need: a start
    /// of it the first time, the whole column after that (as `loadMessages(through:)`).
    func loadFields(through requested: Int) throws(FormatError) {
        guard fieldStarts.count < requested + 2 else { return }
        let last = fieldStarts.isEmpty ? requested : count - 1
        let counts = fieldCounts
        let keyCount = UInt64(fieldKeys.count)
        var starts = [0]
        starts.reserveCapacity(count + 1)
        // Indexes, from where it stopped, the records whose fields lie wholly in `bytes`.
        func index(_ bytes: UnsafeRawBufferPointer) throws(FormatError) {
            var r = ByteReader(bytes, offset: starts[starts.count - 1])
            while starts.count <= counts.count {
                do throws(FormatError) {
                    for _ in 0..<counts[starts.count - 1] {
                        let key = try r.varint()
                        guard key < keyCount else { throw FormatError.invalid("field key index \(key) out of range") }
                        try r.skip(try r.length())
                    }
                } catch .truncated {
                    return
                }
                starts.append(r.offset)
            }
        }
        try decompressPrefix(2, rawLength: header.rawLengths.fields, into: &fieldBytes) { bytes throws(FormatError) in
            try index(bytes)
            return starts.count >= last + 2
        }
        if fieldBytes.count == Int(header.rawLengths.fields) {
            // The whole column: every record's fields must be in it, and nothing else.
            var failure: FormatError?
            fieldBytes.withUnsafeBytes { raw in
                do throws(FormatError) { try index(raw) } catch { failure = error }
            }
            if let failure { throw failure }
            guard starts.count == count + 1 else { throw .invalid("the field column ends inside record \(starts.count - 1)'s fields") }
            guard starts[count] == fieldBytes.count else { throw .invalid("\(fieldBytes.count - starts[count]) stray bytes after the fields") }
        }
        fieldStarts = starts
    }

    /// Calls `body` with each field of record `i` (key index, value bytes) until it returns false.
    func forEachField(of i: Int, _ body: (Int, UnsafeRawBufferPointer) -> Bool) throws(FormatError) {
        try loadFields(through: i)
        var failure: FormatError?
        fieldBytes.withUnsafeBytes { raw in
            var r = ByteReader(raw, offset: fieldStarts[i])
            do throws(FormatError) {
                for _ in 0..<fieldCounts[i] {
                    let key = Int(try r.varint())
                    let value = try r.bytes(try r.length())
                    if !body(key, value) { return }
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The fields of record `i` that the selection keeps.
    func fields(of i: Int) throws(FormatError) -> LogFields {
        var result = LogFields()
        if let keptKeys {
            guard !keptKeys.isEmpty, fieldCounts[i] > 0 else { return result }
            try forEachField(of: i) { key, value in
                if keptKeys.contains(key) { result[fieldKeys[key]] = String(decoding: value, as: UTF8.self) }
                return true
            }
            return result
        }
        try forEachField(of: i) { key, value in
            result[fieldKeys[key]] = String(decoding: value, as: UTF8.self)
            return true
        }
        return result
    }

    /// Rebuilds record `i` in full.
    func record(at i: Int) throws(FormatError) -> LogRecord {
        let flag = flags[i]
        return LogRecord(
            time: times[i], receivedAt: receivedAt[i], host: hosts[Int(hostIndexes[i])],
            service: services[Int(serviceIndexes[i])], severity: Severity(rawValue: flag & 0x07)!,
            facility: flag & 0x10 != 0 ? Facility(rawValue: facilities[i]) : nil, message: try message(at: i),
            fields: try fields(of: i), isRaw: flag & 0x08 != 0)
    }

    func sourceSize(at i: Int) -> Int { Int(sourceSizes[i]) }
}
