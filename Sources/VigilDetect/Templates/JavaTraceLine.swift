/// Recognises the lines of a Java (JVM) stack trace and gives their template directly: a frame
/// (`at com.example.Orders.place(Orders.java:42)`, `(Native Method)`, `(<generated>)`) is one
/// template whatever its class and source, and an exception line (`java.io.IOException: Broken
/// pipe`, `Caused by: …`, `Suppressed: …`) is one template per exception class, its message a
/// variable.
///
/// Both carry free text of any length, which a token-similarity miner splits by token count.
enum JavaTraceLine {
    /// The template of `b`, if it is a frame or an exception line; `nil` otherwise.
    static func template(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        let rest = UnsafeBufferPointer(rebasing: b[i...])
        if rest.starts(with: "at ".utf8) { return frame(UnsafeBufferPointer(rebasing: rest[3...])) }
        for prefix in ["Caused by: ", "Suppressed: "] where rest.starts(with: prefix.utf8) {
            return exception(UnsafeBufferPointer(rebasing: rest[prefix.utf8.count...])).map { prefix + $0 }
        }
        return i == 0 ? exception(rest) : nil
    }

    /// `name(source)`, where name is dotted and has no spaces.
    private static func frame(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        guard let open = b.firstIndex(of: 0x28), open > 0, b.last == 0x29 else { return nil }
        guard !b[..<open].contains(0x20), b[..<open].contains(0x2E) else { return nil }
        return "at <*>.<*>(<*>)"
    }

    /// `qualified.ClassName` alone or followed by `: message`, where the class name ends in
    /// `Exception`, `Error` or `Throwable` and has at least one package.
    private static func exception(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var end = 0
        while end < b.count, b[end] != 0x20, b[end] != 0x3A { end += 1 }
        let token = UnsafeBufferPointer(rebasing: b[..<end])
        guard ["Exception", "Error", "Throwable"].contains(where: { token.reversed().starts(with: $0.utf8.reversed()) }),
            token.contains(0x2E),
            token.allSatisfy({ ($0 | 0x20) &- 0x61 < 26 || $0 &- 0x30 < 10 || $0 == 0x2E || $0 == 0x24 || $0 == 0x5F })
        else { return nil }
        let name = String(decoding: token, as: UTF8.self)
        if end == b.count { return name }
        guard b[end] == 0x3A else { return nil }
        return name + ": <*>"
    }
}
