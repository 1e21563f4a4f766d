/// Cuts a byte stream (syslog over TCP) into messages, per RFC 6587.
///
/// Each frame is told apart by its first byte, as rsyslog's imtcp does: a digit `1`–`9` starts
/// **octet counting** (`MSG-LEN SP SYSLOG-MSG`, the length in decimal), anything else
/// **non-transparent framing** (the message ends at a line feed; a trailing `\r` or NUL is
/// trimmed). Line feeds, carriage returns and NULs between frames are skipped.
///
/// A message longer than `maximumMessageBytes` is cut there: its first `maximumMessageBytes`
/// bytes are delivered marked truncated and the rest of its frame is discarded, so one huge line
/// cannot make the input buffer grow without bound.
///
/// The framer keeps only the discarding state between calls; the caller keeps the unconsumed
/// bytes and offers them again with more appended.
public struct SyslogStreamFramer: Sendable {
    /// What `next(in:)` found at the start of the bytes.
    public struct Step: Equatable, Sendable {
        /// Bytes to drop from the start of the buffer; 0 with no message means more data is needed.
        public var consumed: Int
        /// The byte range of a message within the buffer, if one was completed.
        public var message: Range<Int>?
        /// The message was longer than the maximum and was cut.
        public var truncated: Bool

        public init(consumed: Int, message: Range<Int>? = nil, truncated: Bool = false) {
            self.consumed = consumed
            self.message = message
            self.truncated = truncated
        }
    }

    private enum Discard: Sendable {
        case none
        /// The rest of an octet-counted frame.
        case bytes(Int)
        /// The rest of a line.
        case line
    }

    /// Messages are cut at this many bytes.
    public let maximumMessageBytes: Int
    private var discard = Discard.none

    /// The longest octet count accepted (ten digits); a longer run of digits is not a count.
    static let maximumCountDigits = 10

    public init(maximumMessageBytes: Int) {
        self.maximumMessageBytes = max(1, maximumMessageBytes)
    }

    /// Looks at the start of `bytes` (everything received and not yet consumed). Call it again
    /// after dropping `consumed` bytes until it consumes nothing.
    public mutating func next(in bytes: UnsafeBufferPointer<UInt8>) -> Step {
        let n = bytes.count
        switch discard {
        case .bytes(let left):
            let skipped = min(left, n)
            discard = skipped == left ? .none : .bytes(left - skipped)
            return Step(consumed: skipped)
        case .line:
            if let newline = bytes.firstIndex(of: 0x0A) {
                discard = .none
                return Step(consumed: newline + 1)
            }
            return Step(consumed: n)
        case .none:
            break
        }
        var start = 0
        while start < n, bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == 0 { start += 1 }
        if start > 0 { return Step(consumed: start) }
        guard n > 0 else { return Step(consumed: 0) }
        if bytes[0] >= UInt8(ascii: "1"), bytes[0] <= UInt8(ascii: "9") {
            switch octetCount(bytes) {
            case .count(let length, let header):
                return octetCountedFrame(bytes, length: length, header: header)
            case .incomplete:
                return Step(consumed: 0)
            case .notACount:
                break
            }
        }
        return lineFrame(bytes)
    }

    /// Calls `body` with the range and truncation of every complete message at the start of
    /// `bytes`, and with `atEnd` (the sender closed) of the partial last one too. Returns how many
    /// bytes were consumed; the caller keeps the rest for the next call.
    public mutating func forEachMessage(
        in bytes: UnsafeBufferPointer<UInt8>, atEnd: Bool, _ body: (_ message: Range<Int>, _ truncated: Bool) -> Void
    ) -> Int {
        var offset = 0
        while true {
            let rest = UnsafeBufferPointer(rebasing: bytes[offset...])
            var step = next(in: rest)
            if step.consumed == 0 {
                guard atEnd, !rest.isEmpty else { return offset }
                step = finish(rest)
            }
            if let message = step.message { body((offset + message.lowerBound)..<(offset + message.upperBound), step.truncated) }
            offset += step.consumed
        }
    }

    /// The message left in `bytes` when the stream ends (a last line without its line feed).
    public mutating func finish(_ bytes: UnsafeBufferPointer<UInt8>) -> Step {
        guard case .none = discard else {
            discard = .none
            return Step(consumed: bytes.count)
        }
        var end = min(bytes.count, maximumMessageBytes)
        while end > 0, bytes[end - 1] == 0x0D || bytes[end - 1] == 0 || bytes[end - 1] == 0x0A { end -= 1 }
        return Step(consumed: bytes.count, message: end > 0 ? 0..<end : nil, truncated: bytes.count > maximumMessageBytes)
    }

    private enum OctetCount {
        case count(Int, header: Int)
        case incomplete
        case notACount
    }

    /// `MSG-LEN SP` at the start of `bytes`.
    private func octetCount(_ bytes: UnsafeBufferPointer<UInt8>) -> OctetCount {
        var length = 0
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: " ") { return i > 0 ? .count(length, header: i + 1) : .notACount }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), i < Self.maximumCountDigits else { return .notACount }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
            i += 1
        }
        return .incomplete
    }

    private mutating func octetCountedFrame(_ bytes: UnsafeBufferPointer<UInt8>, length: Int, header: Int) -> Step {
        let available = bytes.count - header
        if length <= maximumMessageBytes {
            guard available >= length else { return Step(consumed: 0) }
            return Step(consumed: header + length, message: header..<(header + length))
        }
        guard available >= maximumMessageBytes else { return Step(consumed: 0) }
        discard = .bytes(length - maximumMessageBytes)
        return Step(consumed: header + maximumMessageBytes, message: header..<(header + maximumMessageBytes), truncated: true)
    }

    private mutating func lineFrame(_ bytes: UnsafeBufferPointer<UInt8>) -> Step {
        let limit = min(bytes.count, maximumMessageBytes + 1)
        if let newline = UnsafeBufferPointer(rebasing: bytes[0..<limit]).firstIndex(of: 0x0A) {
            var end = newline
            while end > 0, bytes[end - 1] == 0x0D || bytes[end - 1] == 0 { end -= 1 }
            return Step(consumed: newline + 1, message: end > 0 ? 0..<end : nil)
        }
        guard bytes.count > maximumMessageBytes else { return Step(consumed: 0) }
        discard = .line
        return Step(consumed: maximumMessageBytes, message: 0..<maximumMessageBytes, truncated: true)
    }
}
