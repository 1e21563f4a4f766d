/// Spelling of TOML keys and dotted key paths in messages.
public enum TOMLKey {
    /// Whether `key` can be written bare (`A-Z a-z 0-9 _ -`, not empty).
    public static func isBare(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy(isBareByte)
    }

    /// `key` as written in TOML: bare when possible, else a quoted basic string.
    public static func quoted(_ key: String) -> String {
        isBare(key) ? key : TOMLValue.quote(key)
    }

    /// A dotted path: `store.codec`, `inputs."my.host".port`.
    public static func path(_ components: [String]) -> String {
        components.map(quoted).joined(separator: ".")
    }

    static func isBareByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
