/// Recognises structured messages — a JSON object, or `key=value` pairs (logfmt, and klog's
/// `"message" key="value"…`) — and gives their template directly: the keys in order, the message
/// text (masked as any message), and the values of the few keys that name a kind rather than an
/// instance (`level`, `logger`…); every other value is `<*>`.
///
/// A token-similarity miner sees such a line as a handful of long tokens with one or two spaces
/// inside quoted values, so it merges different messages with the same keys and splits one
/// message whose values contain spaces.
enum StructuredLine {
    /// Keys whose value is the message text (masked, kept in the template).
    static let messageKeys: Set<String> = ["msg", "message", "event"]
    /// Keys whose value is kept verbatim: it names a kind, not an instance.
    static let kindKeys: Set<String> = ["level", "lvl", "severity", "logger", "logger_name", "component", "module"]

    /// The template of `b`, if it is a JSON object or `key=value` pairs; `nil` otherwise.
    /// `maskMessage` masks message text as the miner masks a message.
    static func template(_ b: UnsafeBufferPointer<UInt8>, maskMessage: (String) -> String) -> String? {
        var i = 0
        while i < b.count, b[i] == space { i += 1 }
        guard i < b.count else { return nil }
        return b[i] == 0x7B ? json(b, from: i, maskMessage: maskMessage) : pairs(b, from: i, maskMessage: maskMessage)
    }

    private static let space: UInt8 = 0x20
    private static let quote: UInt8 = 0x22

    private static func text(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
    }

    /// The end (after the closing quote) of the string whose opening quote is at `i`.
    private static func stringEnd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        MessageTokenizer.closingQuote(b, from: i, to: b.count).map { $0 + 1 }
    }

    private static func value(of key: String, _ raw: String, maskMessage: (String) -> String) -> String? {
        if raw.hasPrefix("{") || raw.hasPrefix("[") { return nil }
        if messageKeys.contains(key) { return maskMessage(raw) }
        if kindKeys.contains(key) { return raw }
        return nil
    }

    // MARK: - JSON

    private static func json(_ b: UnsafeBufferPointer<UInt8>, from start: Int, maskMessage: (String) -> String) -> String? {
        var i = start + 1
        var out = "{"
        func skipSpace() { while i < b.count, b[i] == space || b[i] == 0x09 { i += 1 } }
        skipSpace()
        if i < b.count, b[i] == 0x7D { return nil }  // {} is not worth a template of its own
        while true {
            skipSpace()
            guard i < b.count, b[i] == quote, let keyEnd = stringEnd(b, i) else { return nil }
            let key = text(b, i + 1..<keyEnd - 1)
            i = keyEnd
            skipSpace()
            guard i < b.count, b[i] == 0x3A else { return nil }
            i += 1
            skipSpace()
            guard i < b.count else { return nil }
            if out.count > 1 { out += "," }
            out += "\"\(key)\":"
            if b[i] == quote {
                guard let end = stringEnd(b, i) else { return nil }
                out += value(of: key, text(b, i + 1..<end - 1), maskMessage: maskMessage).map { "\"\($0)\"" } ?? "\"<*>\""
                i = end
            } else if b[i] == 0x7B || b[i] == 0x5B {
                var depth = 0
                while i < b.count {
                    let c = b[i]
                    if c == quote {
                        guard let end = stringEnd(b, i) else { return nil }
                        i = end
                        continue
                    }
                    if c == 0x7B || c == 0x5B { depth += 1 } else if c == 0x7D || c == 0x5D { depth -= 1 }
                    i += 1
                    if depth == 0 { break }
                }
                guard depth == 0 else { return nil }
                out += "<*>"
            } else {
                let valueStart = i
                while i < b.count, b[i] != 0x2C, b[i] != 0x7D, b[i] != space { i += 1 }
                guard i > valueStart else { return nil }
                out += "<*>"
            }
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == 0x2C {
                i += 1
                continue
            }
            guard b[i] == 0x7D else { return nil }
            i += 1
            skipSpace()
            return i == b.count ? out + "}" : nil
        }
    }

    // MARK: - key=value

    /// One `key=value` pair: where its key and value are, and whether the value was quoted (its
    /// range is then inside the quotes).
    private struct Pair {
        var key: Range<Int>
        var value: Range<Int>
        var quoted: Bool
    }

    /// Walks `b` from `start` (after an optional quoted message) as `key=value` pairs, handing each
    /// to `body`; the number of pairs, or `nil` at the first token that is not one.
    private static func forEachPair(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (Pair) -> Void
    ) -> Int? {
        var i = start
        var count = 0
        while i < b.count {
            if b[i] == space {
                i += 1
                continue
            }
            let keyStart = i
            guard isKeyStart(b[i]) else { return nil }
            while i < b.count, isKeyByte(b[i]) { i += 1 }
            guard i < b.count, b[i] == 0x3D else { return nil }
            let key = keyStart..<i
            i += 1
            if i < b.count, b[i] == quote {
                guard let end = stringEnd(b, i), end == b.count || b[end] == space else { return nil }
                body(Pair(key: key, value: i + 1..<end - 1, quoted: true))
                i = end
            } else {
                let valueStart = i
                while i < b.count, b[i] != space { i += 1 }
                body(Pair(key: key, value: valueStart..<i, quoted: false))
            }
            count += 1
        }
        return count
    }

    /// An optional quoted message (klog) and then only `key=value` pairs: at least two, or any
    /// number after a message. The line is checked first without allocating: most are not.
    private static func pairs(_ b: UnsafeBufferPointer<UInt8>, from start: Int, maskMessage: (String) -> String) -> String? {
        var pairsStart = start
        let hasMessage = b[start] == quote
        if hasMessage {
            guard let end = stringEnd(b, start) else { return nil }
            pairsStart = end
        }
        guard let count = forEachPair(b, from: pairsStart, { _ in }), count >= (hasMessage ? 0 : 2) else { return nil }
        var parts: [String] = []
        if hasMessage { parts.append("\"\(maskMessage(text(b, start + 1..<pairsStart - 1)))\"") }
        _ = forEachPair(b, from: pairsStart) { pair in
            let key = text(b, pair.key)
            let kept = value(of: key, text(b, pair.value), maskMessage: maskMessage)
            parts.append("\(key)=\(kept.map { pair.quoted ? "\"\($0)\"" : $0 } ?? "<*>")")
        }
        return parts.joined(separator: " ")
    }

    private static func isKeyStart(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 || c == 0x5F }
    private static func isKeyByte(_ c: UInt8) -> Bool {
        isKeyStart(c) || c &- 0x30 < 10 || c == 0x2E || c == 0x2D
    }
}
