import Glibc

/// An IPv4 or IPv6 address with a port, as the socket calls take it: what the UDP input binds to,
/// resolved with `getaddrinfo` (so `localhost`, `0.0.0.0` and `[::]` all work), and what the
/// kernel says it bound.
public struct InternetSocketAddress: Sendable, CustomStringConvertible {
    /// A failed resolution, with `getaddrinfo`'s reason.
    public struct ResolutionError: Error, CustomStringConvertible {
        public let host: String
        public let reason: String
        public var description: String { "cannot resolve \"\(host)\": \(reason)" }
    }

    private var storage: sockaddr_storage
    /// The length of the `sockaddr_in` or `sockaddr_in6` in `storage`.
    public let length: socklen_t

    /// The first address `host` resolves to for UDP, with `port`.
    public init(host: String, port: Int) throws(ResolutionError) {
        var hints = addrinfo()
        hints.ai_socktype = CInt(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw ResolutionError(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(result) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let family = current.pointee.ai_family
            if family == AF_INET || family == AF_INET6, let address = current.pointee.ai_addr {
                var storage = sockaddr_storage()
                let length = current.pointee.ai_addrlen
                withUnsafeMutableBytes(of: &storage) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(length)))
                }
                self.storage = storage
                self.length = length
                return
            }
            entry = current.pointee.ai_next
        }
        throw ResolutionError(host: host, reason: "no IPv4 or IPv6 address")
    }

    /// The address in `storage`; nil for a family other than IPv4 and IPv6.
    public init?(_ storage: sockaddr_storage) {
        switch CInt(storage.ss_family) {
        case AF_INET: length = socklen_t(MemoryLayout<sockaddr_in>.size)
        case AF_INET6: length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        default: return nil
        }
        self.storage = storage
    }

    /// The address `descriptor` is bound to (`getsockname`), with the port the kernel chose for port
    /// 0; nil (and `errno` set) when the call fails or the family is not IPv4 or IPv6.
    static func local(of descriptor: CInt) -> InternetSocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return named == 0 ? InternetSocketAddress(storage) : nil
    }

    /// `AF_INET` or `AF_INET6`.
    public var family: CInt { CInt(storage.ss_family) }

    /// The port, in host byte order.
    public var port: Int {
        var storage = storage
        return withUnsafeBytes(of: &storage) { raw in
            let offset = family == AF_INET ? MemoryLayout<sockaddr_in>.offset(of: \.sin_port)! : MemoryLayout<sockaddr_in6>.offset(of: \.sin6_port)!
            return Int(UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        }
    }

    /// Calls `body` with the address as a `sockaddr` and its length.
    public func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        var storage = storage
        return try withUnsafePointer(to: &storage) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }

    /// `192.0.2.7:514`, `[2001:db8::1]:514`.
    public var description: String {
        var storage = storage
        var characters = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let text: String = withUnsafeBytes(of: &storage) { raw in
            let offset = family == AF_INET ? MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)! : MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
            guard inet_ntop(family, raw.baseAddress! + offset, &characters, socklen_t(characters.count)) != nil else { return "?" }
            return characters.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
        return family == AF_INET6 ? "[\(text)]:\(port)" : "\(text):\(port)"
    }
}
