/// Makes stored text safe to print on a terminal: control characters a log line may carry (from a
/// careless or hostile sender) are shown, not obeyed, so a message cannot clear the screen, recolour
/// it, ring the bell or move the cursor.
///
/// C0 controls other than TAB and DEL are written as `\xNN` (`\x1b`, `\x07`; `\n` and `\r` by
/// name), and C1 controls (U+0080–U+009F, which some terminals obey as escape sequences) as
/// `\u{0080}`. Everything else is copied, so ordinary text, including non-ASCII, is unchanged and
/// copied in bulk. `vigil query -a` prints the raw bytes instead; `-o json` escapes as JSON.
public enum TerminalText {
    /// Appends `text`, its control characters escaped.
    public static func append(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F || $0 == 0xC2 }) else {
                output.append(contentsOf: bytes)
                return
            }
            var index = 0
            var runStart = 0
            while index < bytes.count {
                let byte = bytes[index]
                var escape: String?
                var width = 1
                if byte < 0x20, byte != 0x09 {
                    escape = byte == 0x0A ? "\\n" : byte == 0x0D ? "\\r" : "\\x" + hex(byte)
                } else if byte == 0x7F {
                    escape = "\\x7f"
                } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                    escape = "\\u{00" + hex(bytes[index + 1]) + "}"
                    width = 2
                }
                guard let escape else {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(contentsOf: escape.utf8)
                index += width
                runStart = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }

    /// `text` with its control characters escaped.
    public static func escaped(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        append(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }
}
