import Glibc

/// A failed socket call, with what was being done and the system's reason.
struct SocketCallFailure: Error, CustomStringConvertible {
    let operation: String
    let code: Int32

    var description: String { "\(operation): \(String(cString: strerror(code))) (errno \(code))" }
}

/// A bound UDP socket, read by one `SyslogDatagramReceiver` thread: the descriptor, the address
/// the kernel bound it to, and the socket options the UDP input uses.
struct UDPSocket: Sendable {
    /// A failed socket call.
    typealias Failure = SocketCallFailure

    let descriptor: CInt
    /// The bound address (with the port the kernel chose for port 0).
    let localAddress: InternetSocketAddress

    /// A socket bound to `address`. Without `SO_REUSEADDR` (UDP has no TIME_WAIT to step over): a
    /// port another socket holds is an error ("Address already in use"), rather than two sockets
    /// sharing it and one of them silently getting nothing.
    static func bind(to address: InternetSocketAddress) throws(Failure) -> UDPSocket {
        let family = address.family
        let descriptor = socket(family, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(operation: "socket", code: errno) }
        let bound = address.withSockAddr { Glibc.bind(descriptor, $0, socklen_t($1)) }
        guard bound == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure(operation: "bind", code: code)
        }
        guard let local = InternetSocketAddress.local(of: descriptor) else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure(operation: "getsockname", code: code)
        }
        return UDPSocket(descriptor: descriptor, localAddress: local)
    }

    /// Asks for `bytes` of receive buffer (`SO_RCVBUFFORCE` when the process may, else
    /// `SO_RCVBUF`, which the kernel caps at `net.core.rmem_max`) and returns what the kernel
    /// granted (Linux reports twice the usable size, its bookkeeping included).
    func setReceiveBuffer(_ bytes: Int64) -> Int {
        var value = CInt(clamping: bytes)
        let size = socklen_t(MemoryLayout<CInt>.size)
        if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &value, size) != 0 {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &value, size)
        }
        var granted: CInt = 0
        var length = size
        getsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &granted, &length)
        return Int(granted)
    }

    /// The bytes queued for reading and the receive buffer, both as the kernel accounts them: the
    /// first two counters of `SO_MEMINFO` (`SK_MEMINFO_RMEM_ALLOC`, `SK_MEMINFO_RCVBUF`).
    func receiveQueue() -> (queued: UInt32, buffer: UInt32)? {
        var counters: (UInt32, UInt32) = (0, 0)
        var length = socklen_t(MemoryLayout<(UInt32, UInt32)>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_MEMINFO, &counters, &length) == 0 else { return nil }
        return (counters.0, counters.1)
    }

    func close() {
        Glibc.close(descriptor)
    }
}
