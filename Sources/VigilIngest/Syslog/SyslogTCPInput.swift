import Dispatch
import Foundation
import Glibc
import Logging
import Metrics
import Synchronization
import VigilCore
import VigilFormats

/// The syslog-over-TCP input (RFC 6587: octet-counted frames, or one message per line): for each
/// listen address a thread accepting connections, and a thread per connection reading it with
/// blocking reads, framing and parsing its messages, and handing them to the pipeline at the end of
/// each read.
///
/// While the pipeline is full, a connection's thread waits for room before it reads again
/// (`IngestPipeline.retryWhenRoom`), so the kernel's receive buffer fills and the sender is held
/// back by TCP itself: nothing is dropped. Connections past `max_connections` are closed at once
/// and counted. Threads rather than an event loop keep the input free of NIO, so `vigil`, which
/// links this module, stays free of it too; `max_connections` bounds them (200 by default).
public final class SyslogTCPInput: Sendable {
    private let configuration: SyslogTCPConfiguration
    private let pipeline: IngestPipeline
    private let logger: Logger
    private let refused = Counter(label: "vigil_syslog_tcp_refused_connections_total")
    private struct State {
        var listeners: [CInt] = []
        var connections: Set<CInt> = []
        var stopping = false
    }
    private let state = Mutex(State())
    /// Entered by every thread, left when it ends: `stop()` waits for all of them.
    private let threads = DispatchGroup()

    public init(configuration: SyslogTCPConfiguration, pipeline: IngestPipeline, logger: Logger) {
        self.configuration = configuration
        self.pipeline = pipeline
        self.logger = logger
    }

    /// Binds every listen address and starts accepting; returns the bound addresses (with the ports
    /// the kernel chose for port 0).
    @discardableResult
    public func start() throws -> [InternetSocketAddress] {
        var bound: [InternetSocketAddress] = []
        for address in configuration.listen {
            let listener = try TCPListener.bind(to: InternetSocketAddress(host: address.host, port: address.port))
            state.withLock { $0.listeners.append(listener.descriptor) }
            bound.append(listener.localAddress)
            threads.enter()
            let thread = Thread { [self] in
                accept(on: listener.descriptor)
                threads.leave()
            }
            thread.name = "vigil-tcp-accept"
            thread.start()
            logger.info("listening for syslog over TCP", metadata: ["address": "\(address.host):\(listener.localAddress.port)"])
        }
        return bound
    }

    /// Stops accepting, ends every connection (what was read is handed over first) and returns
    /// once every thread has ended.
    public func stop() async {
        let (listeners, connections) = state.withLock { state in
            state.stopping = true
            return (state.listeners, state.connections)
        }
        // shutdown() wakes a thread blocked in accept() or read(); the threads close their sockets.
        for descriptor in listeners + Array(connections) { shutdown(descriptor, CInt(SHUT_RDWR)) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            threads.notify(queue: .global()) { continuation.resume() }
        }
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    private func accept(on listener: CInt) {
        defer { close(listener) }
        let limit = configuration.maxConnections
        while !stopping {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let descriptor = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
            }
            // accept4 needs _GNU_SOURCE, which the Glibc module does not expose: close-on-exec apart.
            if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            guard descriptor >= 0 else {
                let code = errno
                if stopping || code == EBADF || code == EINVAL { return }
                // Out of descriptors: the connections waiting in the backlog stay there a moment.
                if code == EMFILE || code == ENFILE { usleep(100_000) }
                continue
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopping, state.connections.count < limit else { return false }
                state.connections.insert(descriptor)
                return true
            }
            var senders = SenderAddressText()
            let sender = senders.text(for: &storage)
            guard admitted else {
                close(descriptor)
                if !stopping {
                    refused.increment()
                    logger.warning(
                        "closing a syslog TCP connection: max_connections reached", metadata: ["peer": "\(sender)", "max_connections": "\(limit)"])
                }
                continue
            }
            threads.enter()
            let thread = Thread { [self] in
                read(descriptor, from: sender)
                state.withLock { _ = $0.connections.remove(descriptor) }
                close(descriptor)
                threads.leave()
            }
            thread.name = "vigil-tcp-conn"
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    /// Reads one connection until the sender closes it (or `stop()` shuts it down).
    private func read(_ descriptor: CInt, from sender: String) {
        let timeZone = TimeZone(identifier: configuration.timeZone) ?? TimeZone(identifier: "UTC")!
        var framer = SyslogStreamFramer(maximumMessageBytes: Int(configuration.maxMessageBytes))
        var batch = SyslogBatch(parser: SyslogParser(timeZone: timeZone), input: .syslogTCP, pipeline: pipeline)
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            let atEnd = count <= 0
            if count > 0 {
                batch.received(count)
                pending.append(contentsOf: chunk[0..<count])
            }
            let receivedAt = WallClock.now()
            let consumed = pending.withUnsafeBufferPointer { bytes in
                framer.forEachMessage(in: bytes, atEnd: atEnd) { message, truncated in
                    batch.add(UnsafeBufferPointer(rebasing: bytes[message]), receivedAt: receivedAt, sender: sender, truncated: truncated)
                }
            }
            pending.removeFirst(consumed)
            handOver(&batch)
            if atEnd { return }
        }
    }

    /// Offers the batch; while the pipeline is full, waits for room (the connection is not read
    /// meanwhile). At shutdown, a batch that still finds no room is dropped and counted.
    private func handOver(_ batch: inout SyslogBatch) {
        if batch.flush(whenFull: .keep) { return }
        while !stopping {
            if pipeline.retryWhenRoom(until: ContinuousClock.now + .seconds(1), { batch.flush(whenFull: .keep) }) { return }
        }
        batch.flush(whenFull: .drop)
    }
}

/// A listening TCP socket.
struct TCPListener {
    let descriptor: CInt
    let localAddress: InternetSocketAddress

    static func bind(to address: InternetSocketAddress) throws(SocketCallFailure) -> TCPListener {
        let descriptor = socket(address.family, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketCallFailure(operation: "socket", code: errno) }
        var one: CInt = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size))
        let bound = address.withSockAddr { Glibc.bind(descriptor, $0, $1) }
        guard bound == 0, listen(descriptor, 256) == 0 else {
            let code = errno
            close(descriptor)
            throw SocketCallFailure(operation: bound == 0 ? "listen" : "bind", code: code)
        }
        guard let local = InternetSocketAddress.local(of: descriptor) else {
            let code = errno
            close(descriptor)
            throw SocketCallFailure(operation: "getsockname", code: code)
        }
        return TCPListener(descriptor: descriptor, localAddress: local)
    }
}
