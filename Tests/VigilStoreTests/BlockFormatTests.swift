import Testing
import VigilCore
import VigilRegex
import VigilTestSupport
@testable import VigilStore

@Suite struct BlockFormatTests {
    @Test func crc32cMatchesTheKnownVector() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        let long = Array(repeating: UInt8(0x61), count: 1000)
        let split = CRC32C.checksum(Array(long[500...]), continuing: CRC32C.checksum(Array(long[..<500])))
        #expect(split == CRC32C.checksum(long))
    }

    @Test func crc32cInHardwareAndInSoftwareAgreeOnEveryLengthAndSplit() {
        // Lengths around the instruction's 8-byte steps, unaligned starts, continued checksums.
        var random = SplitMix(seed: 32)
        let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        bytes.withUnsafeBytes { all in
            for start in 0..<9 {
                for end in stride(from: start, through: all.count, by: 7) {
                    let piece = UnsafeRawBufferPointer(rebasing: all[start..<end])
                    let software = CRC32C.softwareChecksum(piece, continuing: 0x1234_5678)
                    #expect(CRC32C.checksum(piece, continuing: 0x1234_5678) == software, "bytes \(start)..<\(end)")
                }
            }
        }
        #if arch(x86_64)
        // Every x86-64 machine this runs on since 2008 has SSE 4.2; the test would otherwise only
        // compare the software version with itself.
        #expect(CRC32C.usesHardware)
        #endif
    }

    @Test(arguments: CompressionCodec.allCases)
    func blockRoundTripsEveryColumn(codec: CompressionCodec) throws {
        var random = SplitMix(seed: 7)
        let records = RecordFactory.records(count: 500, using: &random)
        let encoder = BlockEncoder(codec: codec, zstdLevel: 3)
        var bytes: [UInt8] = []
        let sizes = records.map { $0.message.utf8.count + 10 }
        let header = try encoder.encode(records[...], sourceSizes: sizes[...], into: &bytes)
        #expect(header.recordCount == 500)
        #expect(header.sourceBytes == UInt32(sizes.reduce(0, +)))
        #expect(header.minTime == records.map(\.time).min())
        #expect(header.maxTime == records.map(\.time).max())
        let decodedHeader = try bytes.withUnsafeBytes { try BlockHeader.decode($0).get() }
        #expect(decodedHeader == header)
        let block = try DecodedBlock(header: header, payload: Array(bytes[BlockHeader.size...]), decompressor: BlockDecompressor())
        let decoded = try (0..<block.count).map { try block.record(at: $0) }
        #expect(decoded == timeOrdered(records))
    }

    /// Records asked for out of order decode only the start of the message and field columns they
    /// need, extended as later records are asked for, and read back as a whole decode does.
    @Test(arguments: CompressionCodec.allCases)
    func columnsDecodedInPartsReadBackAsAWhole(codec: CompressionCodec) throws {
        var random = SplitMix(seed: 11)
        // Long messages and many fields, so that each column spans many zstd blocks.
        let records = RecordFactory.records(count: 4000, using: &random).enumerated().map { index, record in
            var record = record
            record.message = String(repeating: "\(record.message) \(index) ", count: 1 + index % 40)
            for k in 0..<(index % 9) { record.fields["key\(k)"] = String(repeating: "v\(index)", count: 1 + k * 3) }
            return record
        }
        var bytes: [UInt8] = []
        let header = try BlockEncoder(codec: codec, zstdLevel: 3).encode(
            records[...], sourceSizes: Array(repeating: 1, count: records.count)[...], into: &bytes)
        let whole = try DecodedBlock(header: header, block: bytes, decompressor: BlockDecompressor())
        try whole.loadMessages()
        try whole.loadFields()
        let parts = try DecodedBlock(header: header, block: bytes, decompressor: BlockDecompressor())
        for index in [0, 1, 17, 900, 899, 2500, 3999, 5, 3998] {
            #expect(try parts.record(at: index) == whole.record(at: index), "record \(index)")
        }
        let decompressor = BlockDecompressor()
        let prefix = try DecodedBlock(header: header, block: bytes, decompressor: decompressor)
        try prefix.loadFields(through: 10)
        try prefix.loadMessages(through: 10)
        #expect(try prefix.record(at: 10) == whole.record(at: 10))
        // The decompressor is reused after a prefix; going through every record decodes the meta
        // group once and the message and field groups at most twice each (a start, then the rest).
        let before = decompressor.decompressions
        let next = try DecodedBlock(header: header, block: bytes, decompressor: decompressor)
        #expect(try (0..<next.count).map { try next.record(at: $0) } == (0..<whole.count).map { try whole.record(at: $0) })
        #expect(decompressor.decompressions - before <= 5)
    }

    /// A field column with a byte too many is refused once it is decoded whole (a small column is
    /// decoded whole even for its first record).
    @Test func aFieldColumnWithStrayBytesIsRefusedWhole() throws {
        let records = (0..<50).map { LogRecord(time: Int64($0), host: "h", service: "s", message: "m\($0)", fields: ["pid": "\($0)"]) }
        var columns = BlockColumns()
        var bytes: [UInt8] = []
        var header = try BlockEncoder(codec: .zstd, zstdLevel: 3).encode(
            records[...], sourceSizes: Array(repeating: 1, count: records.count)[...], into: &bytes, columns: &columns)
        // Re-encode the field group with one stray byte at its end.
        let compressor = BlockCompressor(codec: .zstd, zstdLevel: 3)
        var payload = Array(bytes[BlockHeader.size..<(BlockHeader.size + Int(header.compressedLengths.meta) + Int(header.compressedLengths.messages))])
        let fieldsLength = try compressor.compress(columns.fields.bytes + [0x00], appendingTo: &payload)
        header.compressedLengths.fields = UInt32(fieldsLength)
        header.rawLengths.fields = UInt32(columns.fields.count + 1)
        header.payloadChecksum = CRC32C.checksum(payload)
        let block = try DecodedBlock(header: header, payload: payload, decompressor: BlockDecompressor())
        #expect(throws: FormatError.invalid("1 stray bytes after the fields")) { try block.fields(of: 3) }
        #expect(throws: FormatError.invalid("1 stray bytes after the fields")) { try block.loadFields() }
    }

    /// Thousands of distinct hosts, services and field names (the column dictionaries grow many
    /// times), long and non-ASCII values, and the empty string all come back as they went in.
    @Test func blockRoundTripsManyDistinctColumnValues() throws {
        let records = (0..<3000).map { (i: Int) -> LogRecord in
            let host = i % 7 == 0 ? "" : "host-\(i)"
            let service = i % 2 == 0 ? "svc-\(i % 50)" : "sërvice-with-a-rather-long-name-\(i)"
            let fields: LogFields = ["k\(i % 1000)": "v", "pid": "\(i)"]
            return LogRecord(
                time: 1_800_000_000_000_000_000 + Int64(i), host: host, service: service, message: "m\(i)", fields: fields)
        }
        var bytes: [UInt8] = []
        let header = try BlockEncoder(codec: .zstd, zstdLevel: 3).encode(
            records[...], sourceSizes: Array(repeating: 1, count: records.count)[...], into: &bytes)
        let block = try DecodedBlock(header: header, payload: Array(bytes[BlockHeader.size...]), decompressor: BlockDecompressor())
        #expect(try (0..<block.count).map { try block.record(at: $0) } == records)
    }

    @Test func headerRejectsAFlippedByte() throws {
        var random = SplitMix(seed: 8)
        let records = RecordFactory.records(count: 10, using: &random)
        var bytes: [UInt8] = []
        _ = try BlockEncoder(codec: .zstd, zstdLevel: 3).encode(records[...], sourceSizes: Array(repeating: 1, count: 10)[...], into: &bytes)
        bytes[20] ^= 0x01
        let result = bytes.withUnsafeBytes { BlockHeader.decode($0) }
        #expect(result == .failure(.badChecksum))
    }

    @Test func headerNamesAnUnknownVersion() throws {
        var random = SplitMix(seed: 9)
        var bytes: [UInt8] = []
        _ = try BlockEncoder(codec: .lz4, zstdLevel: 3).encode(
            RecordFactory.records(count: 3, using: &random)[...], sourceSizes: [1, 1, 1][...], into: &bytes)
        bytes[4] = 9
        let crc = CRC32C.checksum(Array(bytes[0..<60]))
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { bytes[60 + i] = $0[i] } }
        let result = bytes.withUnsafeBytes { BlockHeader.decode($0) }
        #expect(result == .failure(.unknownVersion(9)))
    }

    @Test func regexScansAColumnLikeRecordByRecord() throws {
        let messages = ["alpha beta", "", "gamma\ndelta", "beta", "ALPHA", "x alpha"]
        var column: [UInt8] = []
        var starts: [Int] = []
        for m in messages {
            starts.append(column.count)
            column += Array(m.utf8) + [0x0A]
        }
        starts.append(column.count)
        for pattern in ["alpha", "^alpha", "beta$", "^$", "a\\nd", "^gamma$", "delta", "(?<=x )alpha", "\\Aalpha"] {
            let regex = try PCRE2Regex(pattern)
            var matched = [Bool](repeating: false, count: messages.count)
            column.withUnsafeBytes { raw in
                regex.matchColumn(raw, starts: starts, candidates: Array(repeating: true, count: messages.count), scratch: regex.makeScratch(), into: &matched)
            }
            #expect(matched == messages.map { regex.matches($0) }, "pattern \(pattern)")
        }
    }

    @Test func smartCase() throws {
        #expect(try PCRE2Regex("error").matches("ERROR here"))
        #expect(PCRE2Regex.isJITAvailable)
        #expect(try !PCRE2Regex("Error").matches("ERROR here"))
        #expect(try PCRE2Regex("Error", caseInsensitive: true).matches("ERROR here"))
        #expect(throws: PCRE2Regex.CompileError.self) { try PCRE2Regex("a(b") }
    }
}
