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
        var j = i + 1
        while j < b.count {
            if b[j] == 0x5C {
                j += 2
                continue
            }
            if b[j] == quote { return j + 1 }
            j += 1
        }
        return nil
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

    /// Whether `b` from `start` is an optional quoted message and then only `key=value` pairs (at
    /// least two, or one after a message), checked without allocating: most messages are not.
    private static func isPairs(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var i = start
        var pairCount = 0
        let hasMessage = b[i] == quote
        if hasMessage {
            guard let end = stringEnd(b, i) else { return false }
            i = end
        }
        while i < b.count {
            if b[i] == space {
                i += 1
                continue
            }
            guard isKeyStart(b[i]) else { return false }
            while i < b.count, isKeyByte(b[i]) { i += 1 }
            guard i < b.count, b[i] == 0x3D else { return false }
            i += 1
            if i < b.count, b[i] == quote {
                guard let end = stringEnd(b, i), end == b.count || b[end] == space else { return false }
                i = end
            } else {
                while i < b.count, b[i] != space { i += 1 }
            }
            pairCount += 1
        }
        return pairCount >= (hasMessage ? 0 : 2)
    }

    private static func pairs(_ b: UnsafeBufferPointer<UInt8>, from start: Int, maskMessage: (String) -> String) -> String? {
        guard isPairs(b, from: start) else { return nil }
        var i = start
        var parts: [String] = []
        var pairCount = 0
        if b[i] == quote {
            // klog: a quoted message first.
            guard let end = stringEnd(b, i) else { return nil }
            parts.append("\"\(maskMessage(text(b, i + 1..<end - 1)))\"")
            i = end
        }
        while i < b.count {
            if b[i] == space {
                i += 1
                continue
            }
            let keyStart = i
            guard isKeyStart(b[i]) else { return nil }
            while i < b.count, isKeyByte(b[i]) { i += 1 }
            guard i < b.count, b[i] == 0x3D else { return nil }
            let key = text(b, keyStart..<i)
            i += 1
            var raw: String
            var quoted = false
            if i < b.count, b[i] == quote {
                guard let end = stringEnd(b, i) else { return nil }
                raw = text(b, i + 1..<end - 1)
                quoted = true
                i = end
                guard i == b.count || b[i] == space else { return nil }
            } else {
                let valueStart = i
                while i < b.count, b[i] != space { i += 1 }
                raw = text(b, valueStart..<i)
            }
            let kept = value(of: key, raw, maskMessage: maskMessage)
            let shown = kept.map { quoted ? "\"\($0)\"" : $0 } ?? "<*>"
            parts.append("\(key)=\(shown)")
            pairCount += 1
        }
        // A quoted message alone is klog's too.
        let hasMessage = b[start] == quote
        return pairCount >= (hasMessage ? 0 : 2) ? parts.joined(separator: " ") : nil
    }

    private static func isKeyStart(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 || c == 0x5F }
    private static func isKeyByte(_ c: UInt8) -> Bool {
        isKeyStart(c) || c &- 0x30 < 10 || c == 0x2E || c == 0x2D
    }
}
