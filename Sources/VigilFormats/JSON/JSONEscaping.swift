/// Writes strings as JSON string literals into a byte buffer, for JSON output (`vigil query -o json`).
///
/// Escapes `"`, `\` and every control character below U+0020 (`\n`, `\r`, `\t`, `\b`, `\f` by
/// name, the rest as `\u00XX`); everything else is copied as UTF-8, so the output is valid UTF-8
/// and valid JSON. Runs that need no escaping are copied in bulk.
public enum JSONEscaping {
    /// Appends `string` as a quoted JSON string literal.
    public static func append(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        appendContents(string, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Appends the escaped contents of `string` without the surrounding quotes.
    public static func appendContents(_ string: String, to output: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendContents(utf8: $0, to: &output) }
    }

    /// Appends the escaped contents of UTF-8 bytes without quotes. Invalid UTF-8 is replaced with
    /// U+FFFD so the output stays valid.
    public static func appendContents(utf8 bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") {
                if c < 0x80 {
                    i += 1
                    continue
                }
                if let next = validSequenceEnd(bytes, at: i) {
                    i = next
                    continue
                }
            }
            if runStart < i { output.append(contentsOf: bytes.slice(runStart, i)) }
            switch c {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                output.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(c >> 4),
                    hexDigit(c & 0xF),
                ])
            default: output.append(contentsOf: [0xEF, 0xBF, 0xBD])  // invalid UTF-8 → U+FFFD
            }
            i += 1
            runStart = i
        }
        if runStart < n { output.append(contentsOf: bytes.slice(runStart, n)) }
    }

    /// `string` as a quoted JSON string literal.
    public static func quoted(_ string: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count + 2)
        append(string, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// The end of the valid multi-byte UTF-8 sequence at `i`, or nil.
    @inline(__always)
    private static func validSequenceEnd(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = b.count
        @inline(__always) func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            k < n && b[k] >= low && b[k] <= high
        }
        switch b[i] {
        case 0xC2...0xDF: return cont(i + 1) ? i + 2 : nil
        case 0xE0: return cont(i + 1, 0xA0) && cont(i + 2) ? i + 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return cont(i + 1) && cont(i + 2) ? i + 3 : nil
        case 0xED: return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? i + 3 : nil
        case 0xF0: return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? i + 4 : nil
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? i + 4 : nil
        case 0xF4: return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? i + 4 : nil
        default: return nil
        }
    }
}
