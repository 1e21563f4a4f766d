extension SyslogParser {
    /// Splits a datagram (or any buffer) that may hold several newline-separated syslog messages
    /// into the byte ranges of the messages, without their line terminators. Empty lines are ignored.
    ///
    /// When the buffer starts with a PRI (`<`), a newline ends a message only if the next line starts
    /// with `<` too; other lines are continuations of the message before them, so a multi-line
    /// message (a stack trace sent in one datagram) stays one record. When the buffer does not start
    /// with `<`, every non-empty line is a message. Trailing `\r` and NUL are trimmed from each range.
    public static func splitMessages(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        forEachMessage(in: bytes) { ranges.append($0) }
        return ranges
    }

    /// Calls `body` with the byte range of each message of `bytes`, in order, as `splitMessages`
    /// splits them, without collecting them: the UDP input's hot path.
    @inline(__always)
    public static func forEachMessage(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let n = bytes.count
        var first = 0
        while first < n, bytes[first] == 0x0A || bytes[first] == 0x0D || bytes[first] == 0 { first += 1 }
        guard first < n else { return }
        let framed = bytes[first] == UInt8(ascii: "<")
        var messageStart = -1
        var messageEnd = -1
        var lineStart = first
        while lineStart < n {
            let newline = bytes.firstIndex(of: 0x0A, from: lineStart)
            var end = newline
            while end > lineStart, bytes[end - 1] == 0x0D || bytes[end - 1] == 0 { end -= 1 }
            if end > lineStart {
                if !framed {
                    body(lineStart..<end)
                } else if bytes[lineStart] == UInt8(ascii: "<") || messageStart < 0 {
                    if messageStart >= 0 { body(messageStart..<messageEnd) }
                    messageStart = lineStart
                    messageEnd = end
                } else {
                    messageEnd = end
                }
            }
            lineStart = newline + 1
        }
        if messageStart >= 0 { body(messageStart..<messageEnd) }
    }
}
