import Glibc
import Synchronization

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

    /// Ports this process has handed out (never twice).
    private static let handedOut = Mutex<Set<Int>>([])

    /// A free port of the given kind, below the kernel's ephemeral range (32768 and up on Linux):
    /// a port the kernel picks for `bind(0)` comes from that range, where any outgoing connection
    /// (curl, a PostgreSQL or NATS client) may take it before the test's server binds it. Chosen at
    /// random, checked by binding it, and never handed out twice by this process.
    public static func freePort(udp: Bool = false) -> Int {
        while true {
            let port = Int.random(in: 20_000..<32_768)
            guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if canBind(port, udp: udp) { return port }
        }
    }

    private static func canBind(_ port: Int, udp: Bool) -> Bool {
        let fd = socket(AF_INET, udp ? CInt(SOCK_DGRAM.rawValue) : CInt(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0)
        defer { close(fd) }
        return withAddress(port: port) { address, length in bind(fd, address, length) == 0 }
    }
}
