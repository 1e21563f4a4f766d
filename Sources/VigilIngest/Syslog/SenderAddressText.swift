import Glibc

/// A datagram sender's IP address as text (`inet_ntop`: "192.0.2.7", "2001:db8::1",
/// "::ffff:192.0.2.7" for IPv4 on a dual-stack socket), the record field `source_ip`. The last
/// address is remembered, so a busy sender's is rendered once rather than for every datagram.
struct SenderAddressText {
    private var family: sa_family_t = 0
    /// The last address's bytes: 4 for IPv4, 16 for IPv6.
    private var address: (UInt64, UInt64) = (0, 0)
    private var text = ""

    /// The text of the address in `sender` (an IPv4 or IPv6 `sockaddr`); "" for another family.
    mutating func text(for sender: UnsafePointer<sockaddr_storage>) -> String {
        let raw = UnsafeRawPointer(sender)
        let family = sender.pointee.ss_family
        var address: (UInt64, UInt64) = (0, 0)
        let offset: Int
        switch CInt(family) {
        case AF_INET:
            offset = MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!
            address.0 = UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        case AF_INET6:
            offset = MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
            address = raw.loadUnaligned(fromByteOffset: offset, as: (UInt64, UInt64).self)
        default:
            return ""
        }
        if family == self.family, address == self.address { return text }
        self.family = family
        self.address = address
        text = Self.render(raw + offset, family: CInt(family))
        return text
    }

    /// `inet_ntop` of the `in_addr` or `in6_addr` at `address`.
    private static func render(_ address: UnsafeRawPointer, family: CInt) -> String {
        var characters = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, address, &characters, socklen_t(characters.count)) != nil else { return "" }
        return characters.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
