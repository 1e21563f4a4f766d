import NIOCore
import NIOPosix
import Synchronization

/// A NATS client that keeps one connection to one of its servers and makes a new one when it is
/// lost: each operation uses the open connection or connects first, trying the servers in turn
/// and waiting between failed rounds (from `reconnectWait`, doubling to `maxReconnectWait`, with
/// jitter). An operation that fails because the connection dropped throws; the next one
/// reconnects. Callers that must not lose work (a forwarder) retry with the same message id.
public final class NATSClient: Sendable {
    public let options: NATSOptions
    private let group: any EventLoopGroup
    private struct State {
        var connection: NATSConnection?
        var connecting: Task<NATSConnection, any Error>?
        var failures = 0
        var closed = false
    }
    private let state = Mutex(State())

    /// A client of `options.servers`, on `group` (NIO's shared event loops unless given).
    public init(options: NATSOptions, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.options = options
        self.group = group
    }

    /// Whether a connection is open now.
    public var isConnected: Bool { state.withLock { $0.connection?.isOpen ?? false } }

    /// The open connection, or a new one. Waits out the back-off after failures; throws the last
    /// server's error when a whole round of servers failed, and `closed` after `close()`.
    public func connection() async throws(NATSError) -> NATSConnection {
        let (open, task): (NATSConnection?, Task<NATSConnection, any Error>?) = try state.withLock { state throws(NATSError) in
            if state.closed { throw .closed }
            if let connection = state.connection, connection.isOpen { return (connection, nil) }
            if let connecting = state.connecting { return (nil, connecting) }
            let delay = state.failures == 0 ? Duration.zero : backoff(after: state.failures)
            let connecting = Task { try await self.connectRound(after: delay) }
            state.connecting = connecting
            return (nil, connecting)
        }
        if let open { return open }
        guard let task else { throw .closed }
        do {
            return try await task.value
        } catch let error as NATSError {
            throw error
        } catch {
            throw .connectionFailed(server: "?", reason: "\(error)")
        }
    }

    /// The wait before the round after `failures` failed rounds.
    private func backoff(after failures: Int) -> Duration {
        let base = options.reconnectWait * (1 << min(failures - 1, 16))
        let capped = min(base, options.maxReconnectWait)
        return capped / 2 + capped * Double.random(in: 0...0.5)
    }

    private func connectRound(after delay: Duration) async throws(NATSError) -> NATSConnection {
        if delay > .zero { try? await Task.sleep(for: delay) }
        var lastError = NATSError.connectionFailed(server: "-", reason: "no servers configured")
        for server in options.servers {
            do throws(NATSError) {
                let connection = try await NATSConnection.connect(to: server, options: options, group: group)
                let closed = state.withLock { state in
                    state.connecting = nil
                    state.failures = 0
                    state.connection = connection
                    return state.closed
                }
                if closed {
                    await connection.close()
                    throw .closed
                }
                return connection
            } catch {
                lastError = error
                if case .server = error { break }  // credentials refused: the next server will say the same
            }
        }
        state.withLock { state in
            state.connecting = nil
            state.failures += 1
        }
        throw lastError
    }

    /// Publishes on the current connection (see `NATSConnection.publish`).
    public func publish(_ subject: String, payload: [UInt8], headers: NATSHeaders? = nil) async throws(NATSError) {
        try await connection().publish(subject, payload: payload, headers: headers)
    }

    /// A request on the current connection (see `NATSConnection.request`).
    public func request(
        _ subject: String, payload: [UInt8], headers: NATSHeaders? = nil, timeout: Duration = .seconds(5)
    ) async throws(NATSError) -> NATSMessage {
        try await connection().request(subject, payload: payload, headers: headers, timeout: timeout)
    }

    /// Closes the connection; later operations throw `closed`.
    public func close() async {
        let connection = state.withLock { state in
            state.closed = true
            state.connecting?.cancel()
            return state.connection
        }
        await connection?.close()
    }
}
