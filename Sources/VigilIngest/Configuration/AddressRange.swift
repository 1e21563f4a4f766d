import Glibc

/// An IP address or a CIDR range (`10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1`), for
/// `[inputs.http] trusted_proxies`. IPv4 addresses also match in their IPv6-mapped form.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The network's 16 bytes (IPv4 as `::ffff:a.b.c.d`).
    private let network: [UInt8]
    /// Leading bits that must match, out of 128.
    private let prefix: Int
    /// The range as configured.
    public let description: String

    /// Parses `ADDRESS` or `ADDRESS/BITS`; `nil` when it is neither.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.bytes(String(parts[0])) else { return nil }
        let isIPv4 = !parts[0].contains(":")
        var bits = 128
        if parts.count == 2 {
            guard let given = Int(parts[1]), given >= 0, given <= (isIPv4 ? 32 : 128) else { return nil }
            bits = isIPv4 ? 96 + given : given
        }
        network = address
        prefix = bits
        description = text
    }

    /// Whether `address` (IPv4 or IPv6 text) is in the range.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address) else { return false }
        var remaining = prefix
        for index in 0..<16 where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if bytes[index] & mask != network[index] & mask { return false }
            remaining -= 8
        }
        return true
    }

    /// The 16 bytes of an IPv4 (mapped) or IPv6 address in text; `nil` when it is not one.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + withUnsafeBytes(of: v4.s_addr) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        return withUnsafeBytes(of: v6) { Array($0) }
    }

    /// Whether `address` is a loopback address (127.0.0.0/8 or ::1, mapped or not).
    public static func isLoopback(_ address: String) -> Bool {
        loopback.contains { $0.contains(address) }
    }

    private static let loopback = [AddressRange("127.0.0.0/8")!, AddressRange("::1")!]
}
