import VigilCore

/// A store block sent whole to another vigild (fleet mode): decoding it there, and splitting one
/// that is larger than a message may be.
public enum BlockTransfer {
    /// The records of a block given as bytes (header and payload), with their source sizes. Both
    /// checksums are verified; a block that fails them, or does not decode, throws.
    public static func records(in bytes: [UInt8]) throws(StoreError) -> (records: [LogRecord], sourceSizes: [Int]) {
        let header: BlockHeader
        switch StoreBlockFeed.check(bytes) {
        case .success(let checked): header = checked
        case .failure(let failure): throw .corruptBlock(path: "(forwarded block)", offset: 0, reason: failure.description)
        }
        do throws(FormatError) {
            let block = try DecodedBlock(header: header, block: bytes, decompressor: BlockDecompressor())
            try block.loadMessages()
            try block.loadFields()
            var records: [LogRecord] = []
            var sizes: [Int] = []
            records.reserveCapacity(block.count)
            sizes.reserveCapacity(block.count)
            for index in 0..<block.count {
                records.append(try block.record(at: index))
                sizes.append(block.sourceSize(at: index))
            }
            return (records, sizes)
        } catch {
            throw .corruptBlock(path: "(forwarded block)", offset: 0, reason: BlockEvaluator.describe(error))
        }
    }

    /// `bytes` as one block, or re-encoded as several blocks of at most `maxBytes` each (same
    /// codec, records in the same order) when it is larger. The split is deterministic: the same
    /// block and limit give the same pieces, so a piece sent again after a crash is the same message.
    public static func split(_ bytes: [UInt8], toAtMost maxBytes: Int, zstdLevel: Int = 3) throws(StoreError) -> [[UInt8]] {
        guard bytes.count > maxBytes else { return [bytes] }
        let (records, sizes) = try records(in: bytes)
        let codec = bytes.count > 5 ? CompressionCodec(rawValue: bytes[5]) ?? .zstd : .zstd
        let encoder = BlockEncoder(codec: codec, zstdLevel: zstdLevel)
        var pieces = 2
        while true {
            var output: [[UInt8]] = []
            let per = (records.count + pieces - 1) / pieces
            var fits = true
            for start in stride(from: 0, to: records.count, by: per) {
                let end = min(start + per, records.count)
                var piece: [UInt8] = []
                _ = try encoder.encode(records[start..<end], sourceSizes: sizes[start..<end], into: &piece)
                if piece.count > maxBytes, per > 1 {
                    fits = false
                    break
                }
                output.append(piece)
            }
            if fits { return output }
            pieces *= 2
        }
    }
}
