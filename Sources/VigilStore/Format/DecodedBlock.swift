import VigilCore

/// A block read from disk, decoded column group by column group as a query needs them.
///
/// Decoding the meta group (a few bytes per record) answers time, severity, host and service
/// filters; the message column is decompressed only for a regular expression or for output, and the
/// field column only for field filters or output.
final class DecodedBlock {
    let header: BlockHeader
    private let payload: [UInt8]
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

    private var messageBytes: [UInt8] = []
    private var messagesLoaded = false
    private var fieldBytes: [UInt8] = []
    private var fieldStarts: [Int] = []
    private var fieldsLoaded = false

    var count: Int { Int(header.recordCount) }

    /// Checks the payload checksum and decodes the meta column group.
    init(header: BlockHeader, payload: [UInt8], decompressor: BlockDecompressor) throws(FormatError) {
        self.header = header
        self.payload = payload
        self.decompressor = decompressor
        guard payload.count == header.payloadLength else { throw .invalid("payload is \(payload.count) bytes, header says \(header.payloadLength)") }
        guard CRC32C.checksum(payload) == header.payloadChecksum else { throw .invalid("payload checksum mismatch") }
        try decodeMeta()
    }

    private func section(_ index: Int) -> UnsafeRawBufferPointer.SubSequence.Indices {
        let c = header.compressedLengths
        let starts = [0, Int(c.meta), Int(c.meta) + Int(c.messages), header.payloadLength]
        return starts[index]..<starts[index + 1]
    }

    private func decompress(_ index: Int, rawLength: UInt32, into output: inout [UInt8]) throws(FormatError) {
        let range = section(index)
        var failure: FormatError?
        payload.withUnsafeBytes { raw in
            do throws(FormatError) {
                try decompressor.decompress(
                    UnsafeRawBufferPointer(rebasing: raw[range]), codec: header.codec, rawLength: Int(rawLength),
                    into: &output)
            } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func decodeMeta() throws(FormatError) {
        var meta: [UInt8] = []
        try decompress(0, rawLength: header.rawLengths.meta, into: &meta)
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
                var t = try column()
                times.reserveCapacity(n)
                var previous = header.minTime
                for _ in 0..<n {
                    previous &+= try t.signedVarint()
                    times.append(previous)
                }
                var rc = try column()
                receivedAt.reserveCapacity(n)
                for i in 0..<n { receivedAt.append(times[i] &+ (try rc.signedVarint())) }
                let f = try column()
                guard f.remaining == n else { throw FormatError.invalid("flag column has \(f.remaining) entries, expected \(n)") }
                flags = Array(f.base)
                let fc = try column()
                guard fc.remaining == n else { throw FormatError.invalid("facility column has \(fc.remaining) entries, expected \(n)") }
                facilities = Array(fc.base)
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
                hostIndexes = try indexes(hosts.count, "host")
                serviceIndexes = try indexes(services.count, "service")
                var ml = try column()
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
                fieldCounts.reserveCapacity(n)
                for _ in 0..<n { fieldCounts.append(Int32(clamping: try fcnt.varint())) }
                var ss = try column()
                sourceSizes.reserveCapacity(n)
                for _ in 0..<n { sourceSizes.append(Int32(clamping: try ss.varint())) }
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
        guard !messagesLoaded else { return }
        try decompress(1, rawLength: header.rawLengths.messages, into: &messageBytes)
        messagesLoaded = true
    }

    /// Runs `body` over the message column: each message followed by `\n`, starts in `messageStarts`.
    func withMessages<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        try loadMessages()
        return try messageBytes.withUnsafeBytes(body)
    }

    func message(at i: Int) throws(FormatError) -> String {
        try loadMessages()
        return String(decoding: messageBytes[messageStarts[i]..<(messageStarts[i + 1] - 1)], as: UTF8.self)
    }

    /// Decompresses the field column and indexes where each record's fields start (once).
    func loadFields() throws(FormatError) {
        guard !fieldsLoaded else { return }
        try decompress(2, rawLength: header.rawLengths.fields, into: &fieldBytes)
        var failure: FormatError?
        fieldBytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            fieldStarts.reserveCapacity(count + 1)
            do {
                for i in 0..<count {
                    fieldStarts.append(r.offset)
                    for _ in 0..<fieldCounts[i] {
                        let key = try r.varint()
                        guard key < UInt64(fieldKeys.count) else { throw FormatError.invalid("field key index \(key) out of range") }
                        _ = try r.bytes(try r.length())
                    }
                }
                guard r.remaining == 0 else { throw FormatError.invalid("\(r.remaining) stray bytes after the fields") }
                fieldStarts.append(r.offset)
            } catch let error as FormatError {
                failure = error
            } catch {
                failure = .invalid("\(error)")
            }
        }
        if let failure { throw failure }
        fieldsLoaded = true
    }

    /// Calls `body` with each field of record `i` (key index, value bytes) until it returns false.
    func forEachField(of i: Int, _ body: (Int, UnsafeRawBufferPointer) -> Bool) throws(FormatError) {
        try loadFields()
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

    func fields(of i: Int) throws(FormatError) -> LogFields {
        var result = LogFields()
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
