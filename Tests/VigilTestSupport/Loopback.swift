import Glibc

/// 127.0.0.1 sockets for tests that send datagrams or hold ports with the socket calls themselves.
public enum Loopback {
    /// Calls `body` with 127.0.0.1:`port` as a `sockaddr` and its length.
    public static func withAddress<T>(port: Int, _ body: (UnsafeMutablePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// Sends each of `datagrams`, in order, from one new socket to 127.0.0.1:`port`.
    public static func send(_ datagrams: [[UInt8]], to port: Int) {
        let fd = socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        withAddress(port: port) { address, length in
            for datagram in datagrams {
                _ = datagram.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, address, length) }
            }
        }
    }

    /// A free port of the given kind: bound with port 0, read back, closed.
    public static func freePort(udp: Bool = false) -> Int {
        let fd = socket(AF_INET, udp ? CInt(SOCK_DGRAM.rawValue) : CInt(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0)
        defer { close(fd) }
        return withAddress(port: 0) { address, length in
            var length = length
            precondition(bind(fd, address, length) == 0)
            precondition(getsockname(fd, address, &length) == 0)
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }
}
