/// Splits a message into whitespace-separated tokens and masks variable values, working on the
/// message's UTF-8 bytes without creating strings (except for extra masks, which need one per token).
///
/// Each token gets a 64-bit FNV-1a hash of its *masked* text (`id=<NUM>`), which is what templates
/// compare, and a flag telling whether digits remain after masking (Drain routes such tokens to the
/// wildcard branch of the prefix tree). `text(of:in:)` produces the same masked text as a string,
/// by running the same scan into a byte buffer, so hashes and texts always agree.
///
/// A token that starts with a quote (or a `key=` followed by a quote) extends to the closing quote,
/// spaces included, when the `quoted` mask is on.
struct MessageTokenizer {
    /// One token of the last message.
    struct Token {
        /// Byte range in the message.
        var start: Int32
        var end: Int32
        /// FNV-1a of the masked text.
        var hash: UInt64
        /// Whether the masked text has a digit.
        var hasDigit: Bool
        /// Whether the token is a word (see `isWord`).
        var isWord: Bool
        /// Whether the prefix tree routes on the token (see `routes`).
        var routes: Bool
    }

    /// Messages are cut after this many tokens.
    static let maximumTokens = 256

    /// The tokens of the last `tokenize` call.
    private(set) var tokens: [Token] = []
    private let number, hex, uuid, ip, path, quoted: Bool
    private let extraMasks: [ExtraMask]
    /// Placeholder bytes: the built-in masks in `TokenMask.allCases` order, then the extra masks.
    private let placeholders: [[UInt8]]

    /// A tokenizer applying `masks` and then (tried first) `extraMasks`.
    init(masks: Set<TokenMask>, extraMasks: [ExtraMask]) {
        number = masks.contains(.number)
        hex = masks.contains(.hex)
        uuid = masks.contains(.uuid)
        ip = masks.contains(.ip)
        path = masks.contains(.path)
        quoted = masks.contains(.quoted)
        self.extraMasks = extraMasks
        placeholders = TokenMask.allCases.map { Array($0.placeholder.utf8) } + extraMasks.map { Array($0.placeholder.utf8) }
    }

    private static func index(_ mask: TokenMask) -> Int { TokenMask.allCases.firstIndex(of: mask)! }
    private static let numberIndex = index(.number), hexIndex = index(.hex), uuidIndex = index(.uuid)
    private static let ipIndex = index(.ip), pathIndex = index(.path), quotedIndex = index(.quoted)

    // MARK: - Sinks

    /// Receives the masked text of a token.
    private protocol Sink {
        mutating func byte(_ byte: UInt8)
        mutating func mask(_ placeholder: [UInt8])
    }

    private struct HashSink: Sink {
        var hasher = FNV1a()
        var hasDigit = false
        var isMasked = false
        @inline(__always) mutating func byte(_ byte: UInt8) {
            hasher.add(byte)
            if byte &- 48 < 10 { hasDigit = true }
        }
        @inline(__always) mutating func mask(_ placeholder: [UInt8]) {
            isMasked = true
            for byte in placeholder { hasher.add(byte) }
        }
    }

    private struct TextSink: Sink {
        var bytes: [UInt8] = []
        mutating func byte(_ byte: UInt8) { bytes.append(byte) }
        mutating func mask(_ placeholder: [UInt8]) { bytes.append(contentsOf: placeholder) }
    }

    // MARK: - Tokenizing

    /// Splits `bytes` into `tokens`.
    mutating func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) {
        tokens.removeAll(keepingCapacity: true)
        let count = bytes.count
        var i = 0
        while i < count, tokens.count < Self.maximumTokens {
            while i < count, Self.isSpace(bytes[i]) { i += 1 }
            guard i < count else { break }
            let start = i
            while i < count, !Self.isSpace(bytes[i]) {
                let byte = bytes[i]
                if quoted, byte == 0x22 || byte == 0x27, i == start || bytes[i - 1] == 0x3D,
                    let close = Self.closingQuote(bytes, from: i, to: count)
                {
                    i = close + 1
                } else {
                    i += 1
                }
            }
            var sink = HashSink()
            scan(bytes, start..<i, into: &sink)
            let shape = Self.shape(bytes, start, i)
            tokens.append(
                Token(
                    start: Int32(start), end: Int32(i), hash: sink.hasher.value, hasDigit: sink.hasDigit,
                    isWord: shape == .word && !sink.isMasked,
                    routes: shape != .name && !sink.hasDigit && !sink.isMasked))
        }
    }

    /// The masked text of `token` (from the last `tokenize` of `bytes`).
    func text(of token: Token, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        var sink = TextSink()
        scan(bytes, Int(token.start)..<Int(token.end), into: &sink)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    /// The hash `tokenize` gives a token whose masked text is `text`.
    static func hash(ofMaskedText text: String) -> UInt64 { FNV1a.hash(text) }

    /// Whether `text` (a masked token) has a digit.
    static func hasDigit(_ text: String) -> Bool { text.utf8.contains { $0 &- 48 < 10 } }

    /// What a token looks like, before masking: a word, a name, or punctuation.
    enum Shape {
        /// ASCII letters only, optionally in brackets or quotes or followed by punctuation
        /// (`Started`, `(null)`, `state.`, `files...`): words are the constants of a template,
        /// so two messages that differ in a word at the same place are different templates
        /// until the place has held `wordVariants` words.
        case word
        /// Letters joined by `.`, `-`, `_`, `@`, `/`, `:` or with digits (`nginx.service:`, `eth0`,
        /// `user@1000.service`): names of things, which vary freely; the prefix tree does not
        /// route on them, so `<name>: Deactivated successfully.` is one template for every name.
        case name
        /// No letters (`-`, `[]`, `=>`).
        case punctuation
    }

    /// The shape of `b[a..<z]`.
    static func shape(_ b: UnsafeBufferPointer<UInt8>, _ a: Int, _ z: Int) -> Shape {
        var lo = a, hi = z
        while lo < hi, isOpening(b[lo]) || b[lo] == 0x22 || b[lo] == 0x27 { lo += 1 }
        while hi > lo, isClosing(b[hi - 1]) || b[hi - 1] == 0x22 || b[hi - 1] == 0x27 || b[hi - 1] == 0x21
            || b[hi - 1] == 0x3F
        {
            hi -= 1
        }
        var letters = 0
        for i in a..<z where isLetter(b[i]) { letters += 1 }
        if letters == 0 { return .punctuation }
        return letters == hi - lo ? .word : .name
    }

    /// Whether a template token with this masked text is a word, as `tokenize` decides for the
    /// message it came from.
    func isWord(maskedText text: String) -> Bool {
        !hasPlaceholder(text) && Self.shape(of: text) == .word
    }

    /// Whether the prefix tree routes on a token with this masked text, as `tokenize` decides.
    func routes(maskedText text: String) -> Bool {
        !Self.hasDigit(text) && !hasPlaceholder(text) && Self.shape(of: text) != .name
    }

    private func hasPlaceholder(_ text: String) -> Bool {
        placeholders.contains { placeholder in text.utf8.firstRange(of: placeholder) != nil }
    }

    private static func shape(of text: String) -> Shape {
        var text = text
        return text.withUTF8 { $0.isEmpty ? .punctuation : shape($0, 0, $0.count) }
    }

    // MARK: - Masking

    private func scan<S: Sink>(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into sink: inout S) {
        if !extraMasks.isEmpty, let mask = extraMask(b, range) {
            sink.mask(placeholders[mask])
            return
        }
        let lo = range.lowerBound, hi = range.upperBound
        if b[lo] != 0x22, b[lo] != 0x27, let equals = firstIndex(of: 0x3D, in: b, lo + 1..<hi), equals + 1 < hi {
            scanPlain(b, lo..<equals + 1, into: &sink)
            if !extraMasks.isEmpty, let mask = extraMask(b, equals + 1..<hi) {
                sink.mask(placeholders[mask])
                return
            }
            scanValue(b, equals + 1..<hi, into: &sink)
        } else {
            scanValue(b, lo..<hi, into: &sink)
        }
    }

    private func extraMask(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
        guard let found = extraMasks.firstIndex(where: { $0.pattern.matches(text) }) else { return nil }
        return TokenMask.allCases.count + found
    }

    private func scanValue<S: Sink>(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into sink: inout S) {
        let lo = range.lowerBound, hi = range.upperBound
        guard lo < hi else { return }
        if quoted, b[lo] == 0x22 || b[lo] == 0x27, let close = Self.closingQuote(b, from: lo, to: hi) {
            sink.mask(placeholders[Self.quotedIndex])
            scanPlain(b, close + 1..<hi, into: &sink)
            return
        }
        var a = lo, z = hi
        while a < z, Self.isOpening(b[a]) { a += 1 }
        while z > a, Self.isClosing(b[z - 1]) { z -= 1 }
        if a < z, let mask = classify(b, a, z) {
            for i in lo..<a { sink.byte(b[i]) }
            sink.mask(placeholders[mask])
            for i in z..<hi { sink.byte(b[i]) }
            return
        }
        scanPlain(b, lo..<hi, into: &sink)
    }

    /// The mask for the whole of `b[a..<z]`, if one applies.
    private func classify(_ b: UnsafeBufferPointer<UInt8>, _ a: Int, _ z: Int) -> Int? {
        let length = z - a
        if uuid, length == 36, Self.isUUID(b, a) { return Self.uuidIndex }
        if path, Self.isPath(b, a, z) { return Self.pathIndex }
        if ip, Self.isIP(b, a, z) { return Self.ipIndex }
        if number, Self.isNumber(b, a, z) { return Self.numberIndex }
        if hex, Self.isHex(b, a, z) { return Self.hexIndex }
        return nil
    }

    /// Copies bytes, masking runs of digits that stand alone (`id=42`, `12:30:01`, `took 12ms`),
    /// `0x…` hex and runs of 16 or more hex digits inside a token.
    private func scanPlain<S: Sink>(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into sink: inout S) {
        var j = range.lowerBound
        let hi = range.upperBound
        while j < hi {
            let c = b[j]
            // A long hex run inside a token (`sha256:5f32…`, `layer 9c0e…-data`): an id.
            if hex, Self.isHexDigit(c), j == range.lowerBound || !Self.isAlphanumeric(b[j - 1]) {
                var k = j, digits = 0
                while k < hi, Self.isHexDigit(b[k]) {
                    if Self.isDigit(b[k]) { digits += 1 }
                    k += 1
                }
                if k - j >= 16, digits > 0, k == hi || !Self.isAlphanumeric(b[k]) {
                    sink.mask(placeholders[Self.hexIndex])
                    j = k
                    continue
                }
            }
            guard number || hex, Self.isDigit(c), j == range.lowerBound || !Self.isAlphanumeric(b[j - 1]) else {
                sink.byte(c)
                j += 1
                continue
            }
            if hex, c == 0x30, j + 2 < hi, b[j + 1] | 0x20 == 0x78, Self.isHexDigit(b[j + 2]) {
                var k = j + 2
                while k < hi, Self.isHexDigit(b[k]) { k += 1 }
                if k == hi || !Self.isAlphanumeric(b[k]) {
                    sink.mask(placeholders[Self.hexIndex])
                    j = k
                    continue
                }
            }
            var k = j
            while k < hi, Self.isDigit(b[k]) || (b[k] == 0x2E && k + 1 < hi && Self.isDigit(b[k + 1])) { k += 1 }
            var unit = k
            while unit < hi, unit - k < 4, Self.isLetter(b[unit]) { unit += 1 }
            let standsAlone = k == hi || !Self.isAlphanumeric(b[k])
            let hasUnit = unit > k && unit - k <= 3 && (unit == hi || !Self.isAlphanumeric(b[unit]))
            if number, standsAlone || hasUnit {
                sink.mask(placeholders[Self.numberIndex])
                j = k
                continue
            }
            while j < k {
                sink.byte(b[j])
                j += 1
            }
        }
    }

    // MARK: - Byte classes and shapes

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlphanumeric(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
    @inline(__always) static func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }
    @inline(__always) static func isOpening(_ c: UInt8) -> Bool { c == 0x28 || c == 0x5B || c == 0x7B || c == 0x3C }
    @inline(__always) static func isClosing(_ c: UInt8) -> Bool {
        c == 0x29 || c == 0x5D || c == 0x7D || c == 0x3E || c == 0x2C || c == 0x3B || c == 0x3A || c == 0x2E
    }

    private func firstIndex(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        while i < range.upperBound {
            if b[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// The index of the quote closing the one at `open` (backslash escapes skipped), before `end`.
    static func closingQuote(_ b: UnsafeBufferPointer<UInt8>, from open: Int, to end: Int) -> Int? {
        let quote = b[open]
        var i = open + 1
        while i < end {
            if b[i] == 0x5C {
                i += 2
                continue
            }
            if b[i] == quote { return i }
            i += 1
        }
        return nil
    }

    static func isUUID(_ b: UnsafeBufferPointer<UInt8>, _ a: Int) -> Bool {
        for offset in 0..<36 {
            let c = b[a + offset]
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                if c != 0x2D { return false }
            } else if !isHexDigit(c) {
                return false
            }
        }
        return true
    }

    static func isPath(_ b: UnsafeBufferPointer<UInt8>, _ a: Int, _ z: Int) -> Bool {
        let length = z - a
        guard length >= 2 else { return false }
        if b[a] == 0x2F { return isAlphanumeric(b[a + 1]) || b[a + 1] == 0x2F || b[a + 1] == 0x5F || b[a + 1] == 0x2E }
        if b[a] == 0x7E || b[a] == 0x2E {
            var i = a
            while i < z, b[i] == 0x2E || b[i] == 0x7E { i += 1 }
            return i < z && i - a <= 2 && b[i] == 0x2F
        }
        // scheme://
        var i = a
        while i < z, isLetter(b[i]) || b[i] == 0x2B || b[i] == 0x2D { i += 1 }
        return i > a && i + 3 <= z && b[i] == 0x3A && b[i + 1] == 0x2F && b[i + 2] == 0x2F
    }

    static func isIP(_ b: UnsafeBufferPointer<UInt8>, _ a: Int, _ z: Int) -> Bool {
        // IPv4 with optional :port or /prefix.
        var i = a, groups = 0
        while groups < 4 {
            let start = i
            while i < z, i - start < 3, isDigit(b[i]) { i += 1 }
            guard i > start else { break }
            groups += 1
            if groups < 4 {
                guard i < z, b[i] == 0x2E else { break }
                i += 1
            }
        }
        if groups == 4 {
            if i == z { return true }
            if b[i] == 0x3A || b[i] == 0x2F {
                var j = i + 1
                while j < z, isDigit(b[j]) { j += 1 }
                return j == z && j > i + 1
            }
            return false
        }
        // IPv6: hex digits, colons and dots; "::" or seven colons; at least one hex digit.
        var colons = 0, doubleColon = false, hexDigits = 0
        i = a
        while i < z {
            let c = b[i]
            if c == 0x3A {
                colons += 1
                if i + 1 < z, b[i + 1] == 0x3A { doubleColon = true }
            } else if isHexDigit(c) {
                hexDigits += 1
            } else if c != 0x2E {
                return false
            }
            i += 1
        }
        return hexDigits > 0 && colons >= 2 && (doubleColon || colons >= 7)
    }

    static func isNumber(_ b: UnsafeBufferPointer<UInt8>, _ a: Int, _ z: Int) -> Bool {
        var i = a
        if b[i] == 0x2D || b[i] == 0x2B { i += 1 }
        let digitsStart = i
        while i < z, isDigit(b[i]) || (b[i] == 0x2E && i + 1 < z && isDigit(b[i + 1]) && i > digitsStart) { i += 1 }
        guard i > digitsStart else { return false }
        if i < z, b[i] | 0x20 == 0x65 {
            var j = i + 1
            if j < z, b[j] == 0x2D || b[j] == 0x2B { j += 1 }
            let exponent = j
            while j < z, isDigit(b[j]) { j += 1 }
            if j > exponent { i = j }
        }
        return i == z
    }

    static func isHex(_ b: UnsafeBufferPointer<UInt8>, _ a: Int, _ z: Int) -> Bool {
        let length = z - a
        if length >= 3, b[a] == 0x30, b[a + 1] | 0x20 == 0x78 {
            return (a + 2..<z).allSatisfy { isHexDigit(b[$0]) }
        }
        guard length >= 6 else { return false }
        var digit = false, letter = false
        for i in a..<z {
            let c = b[i]
            if isDigit(c) { digit = true } else if (c | 0x20) &- 0x61 < 6 { letter = true } else { return false }
        }
        return digit && letter
    }
}
