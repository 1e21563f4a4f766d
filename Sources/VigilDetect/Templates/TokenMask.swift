/// The built-in masks of the template miner: values that vary between messages of the same kind
/// are replaced by a placeholder before templates are mined.
public enum TokenMask: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Integers and decimals, alone or inside a token (`id=42`, `took 12ms` → `id=<NUM>`,
    /// `took <NUM>ms`); a number may carry a unit of up to three letters.
    case number
    /// `0x1f`, or six or more hex digits with at least one digit and one letter (ids, hashes), as
    /// a whole token; inside a token, `0x…` and runs of 16 or more hex digits (`sha256:5f32…`).
    case hex
    /// `8-4-4-4-12` hex UUIDs.
    case uuid
    /// IPv4 addresses (with an optional `:port` or `/prefix`) and IPv6 addresses.
    case ip
    /// Absolute or relative file paths (`/var/log/x`, `./a`, `~/b`) and URLs (`https://…`).
    case path
    /// Strings in double or single quotes (which may contain spaces).
    case quoted

    /// The placeholder in template text: `<NUM>`, `<HEX>`, `<UUID>`, `<IP>`, `<PATH>`, `<QUOTED>`.
    public var placeholder: String {
        switch self {
        case .number: "<NUM>"
        case .hex: "<HEX>"
        case .uuid: "<UUID>"
        case .ip: "<IP>"
        case .path: "<PATH>"
        case .quoted: "<QUOTED>"
        }
    }

    /// The configuration name.
    public var description: String { rawValue }
}
