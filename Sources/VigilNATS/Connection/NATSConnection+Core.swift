import NIOCore
import NIOSSL
import Synchronization

extension NATSConnection {
    /// The connection's shared state: the server's INFO, PONG waiters, subscriptions and the
    /// requests waiting on the inbox. Touched from the event loop (incoming operations) and from
    /// the tasks that use the connection, so it sits behind one mutex; callbacks run outside it.
    final class Core: Sendable {
        /// The sid of the inbox subscription every request's answer comes through.
        static let inboxSID = 1

        /// A request waiting for its answer(s) on `inboxPrefix.TOKEN`.
        struct Waiter: Sendable {
            /// Returns whether more answers are expected.
            var receive: @Sendable (NATSMessage) -> Bool
            var failed: @Sendable (NATSError) -> Void
            var finished: @Sendable () -> Void
        }

        struct Subscription: Sendable {
            var receive: @Sendable (NATSMessage) -> Void
            var finished: @Sendable (NATSError) -> Void
        }

        private struct State {
            var info: NATSServerInfo?
            var infoWaiter: CheckedContinuation<Result<NATSServerInfo, NATSError>, Never>?
            var pongWaiters: [CheckedContinuation<Result<Void, NATSError>, Never>] = []
            var waiters: [String: Waiter] = [:]
            var subscriptions: [Int: Subscription] = [:]
            var nextSID = Core.inboxSID + 1
            var nextToken: UInt64 = 0
            var lastError: String?
            var closed = false
            /// Why it closed: the server's last -ERR, a local error (TLS, protocol), or just closed.
            var closedError: NATSError?

            /// The error for whoever waits on a closed connection.
            var failure: NATSError { closedError ?? lastError.map { NATSError.server($0) } ?? .disconnected }
        }

        private let state = Mutex(State())
        /// `_INBOX.` and a random identifier: this connection's reply subjects.
        let inboxPrefix = "_INBOX." + String(UInt64.random(in: 0...UInt64.max), radix: 36) + String(UInt32.random(in: 0...UInt32.max), radix: 36)

        var isClosed: Bool { state.withLock { $0.closed } }

        /// The error waiters get once the connection has closed.
        var closedError: NATSError {
            state.withLock { $0.failure }
        }

        func makeToken() -> String {
            state.withLock { state in
                state.nextToken += 1
                return String(state.nextToken, radix: 36)
            }
        }

        func awaitInfo() async throws(NATSError) -> NATSServerInfo {
            let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<NATSServerInfo, NATSError>, Never>) in
                let now: Result<NATSServerInfo, NATSError>? = state.withLock { state in
                    if let info = state.info { return .success(info) }
                    if state.closed { return .failure(state.failure) }
                    state.infoWaiter = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
            return try result.get()
        }

        /// Registers a PONG waiter, then calls `send` (which writes the PING), and waits.
        func awaitPong(_ send: @Sendable () -> Void) async throws(NATSError) {
            let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, NATSError>, Never>) in
                let closed: NATSError? = state.withLock { state in
                    if state.closed { return state.failure }
                    state.pongWaiters.append(continuation)
                    return nil
                }
                if let closed { continuation.resume(returning: .failure(closed)) } else { send() }
            }
            try result.get()
        }

        func register(
            _ token: String, receive: @escaping @Sendable (NATSMessage) -> Bool, failed: @escaping @Sendable (NATSError) -> Void,
            finished: @escaping @Sendable () -> Void
        ) {
            let closed: NATSError? = state.withLock { state in
                if state.closed { return state.failure }
                state.waiters[token] = Waiter(receive: receive, failed: failed, finished: finished)
                return nil
            }
            if let closed {
                failed(closed)
                finished()
            }
        }

        /// Ends the request `token` with `error` (nothing happens when it has ended already).
        func fail(_ token: String, _ error: NATSError) {
            guard let waiter = state.withLock({ $0.waiters.removeValue(forKey: token) }) else { return }
            waiter.failed(error)
            waiter.finished()
        }

        func addSubscription(
            receive: @escaping @Sendable (NATSMessage) -> Void, finished: @escaping @Sendable (NATSError) -> Void
        ) -> Int {
            state.withLock { state in
                let sid = state.nextSID
                state.nextSID += 1
                state.subscriptions[sid] = Subscription(receive: receive, finished: finished)
                return sid
            }
        }

        /// Forgets a subscription; false when the connection already did (it closed).
        func removeSubscription(_ sid: Int) -> Bool {
            state.withLock { $0.subscriptions.removeValue(forKey: sid) != nil }
        }

        // MARK: Operations from the server (on the event loop)

        func received(_ operation: NATSServerOperation, context: ChannelHandlerContext) {
            switch operation {
            case .info(let info):
                let waiter = state.withLock { state in
                    state.info = info
                    defer { state.infoWaiter = nil }
                    return state.infoWaiter
                }
                waiter?.resume(returning: .success(info))
            case .ping:
                var buffer = context.channel.allocator.buffer(capacity: 6)
                NATSClientCommand.pong(into: &buffer)
                context.writeAndFlush(NIOAny(buffer), promise: nil)
            case .pong:
                let waiter = state.withLock { state in state.pongWaiters.isEmpty ? nil : state.pongWaiters.removeFirst() }
                waiter?.resume(returning: .success(()))
            case .ok:
                break
            case .error(let text):
                state.withLock { $0.lastError = text }
                // Permission errors leave the connection open; the server closes it after the others.
            case .message(let sid, let message):
                if sid == Self.inboxSID {
                    let token = message.subject.hasPrefix(inboxPrefix + ".") ? String(message.subject.dropFirst(inboxPrefix.count + 1)) : ""
                    guard let waiter = state.withLock({ $0.waiters[token] }) else { return }
                    if !waiter.receive(message), state.withLock({ $0.waiters.removeValue(forKey: token) }) != nil {
                        waiter.finished()
                    }
                } else if let subscription = state.withLock({ $0.subscriptions[sid] }) {
                    subscription.receive(message)
                }
            }
        }

        /// The connection is gone: fail everything that waits on it.
        func closed(with error: NATSError?) {
            let (state, failure) = state.withLock { state -> (State, NATSError) in
                state.closed = true
                state.closedError = state.lastError.map { NATSError.server($0) } ?? error ?? .disconnected
                let failure = state.closedError!
                let taken = state
                state.infoWaiter = nil
                state.pongWaiters = []
                state.waiters = [:]
                state.subscriptions = [:]
                return (taken, failure)
            }
            state.infoWaiter?.resume(returning: .failure(failure))
            for waiter in state.pongWaiters { waiter.resume(returning: .failure(failure)) }
            for waiter in state.waiters.values {
                waiter.failed(failure)
                waiter.finished()
            }
            for subscription in state.subscriptions.values { subscription.finished(failure) }
        }
    }

    /// Hands the decoded operations to the core and tells it when the channel closes.
    final class Handler: ChannelInboundHandler {
        typealias InboundIn = NATSServerOperation
        private let core: Core
        private var error: NATSError?

        init(core: Core) { self.core = core }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            core.received(unwrapInboundIn(data), context: context)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if self.error == nil {
                if let error = error as? NATSError {
                    self.error = error
                } else if error is NIOSSLError || error is BoringSSLError {
                    self.error = .tls("\(error)")
                } else {
                    self.error = .connectionFailed(server: "\(context.remoteAddress.map { "\($0)" } ?? "?")", reason: "\(error)")
                }
            }
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            core.closed(with: error)
            context.fireChannelInactive()
        }
    }
}
