import CZlib

/// Inflates gzip (or zlib) bodies with zlib, refusing output beyond a limit so a small compressed
/// body cannot expand into gigabytes (a "zip bomb").
enum GzipInflater {
    /// Why a body could not be inflated.
    enum Failure: Error {
        /// The data is not valid gzip; zlib's message.
        case invalid(String)
        /// The inflated size would exceed the limit.
        case tooLarge
    }

    /// The inflated bytes of `input`, at most `limit` of them. Concatenated gzip members are
    /// inflated one after another, as `gzip -d` does.
    static func inflate(_ inputBuffer: UnsafeBufferPointer<UInt8>, limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 32: detect a gzip or zlib header automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .invalid("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        guard let base = inputBuffer.baseAddress else { throw .invalid("empty body") }
        var consumed = 0
        while true {
            stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
            stream.avail_in = UInt32(inputBuffer.count - consumed)
            while true {
                var result: Int32 = Z_OK
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    result = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else {
                    throw .invalid(stream.msg.map { String(cString: $0) } ?? "zlib error \(result)")
                }
                guard output.count + produced <= limit else { throw .tooLarge }
                output.append(contentsOf: chunk[0..<produced])
                if result == Z_STREAM_END { break }
                // Output room was left, so zlib stopped for want of input: the data ends early.
                if result == Z_BUF_ERROR || stream.avail_in == 0 && stream.avail_out > 0 {
                    throw .invalid("the gzip data ends early")
                }
            }
            consumed = inputBuffer.count - Int(stream.avail_in)
            guard consumed < inputBuffer.count else { break }
            // Another gzip member follows.
            guard inflateReset(&stream) == Z_OK else { throw .invalid("zlib could not restart") }
        }
        return output
    }
}
