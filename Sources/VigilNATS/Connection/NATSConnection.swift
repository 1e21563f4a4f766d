import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One connection to one NATS server: the handshake, publishing, subscriptions and request/reply
/// through a single inbox subscription (`_INBOX.<id>.*`), as NATS's own clients do it.
///
/// State lives behind a mutex; the channel's event loop delivers messages and calls the
/// subscribers there, so a subscriber must only hand the message on (resume a continuation,
/// yield to a stream). When the connection closes, every waiter fails with the server's last
/// `-ERR` or `NATSError.disconnected`, and every subscription's stream finishes.
public final class NATSConnection: Sendable {
    /// What the server said it is.
    public let info: NATSServerInfo
    /// The server this connection goes to.
    public let server: NATSServerAddress
    private let channel: any Channel
    private let core: Core

    private init(channel: any Channel, core: Core, info: NATSServerInfo, server: NATSServerAddress) {
        self.channel = channel
        self.core = core
        self.info = info
        self.server = server
    }

    /// Whether the connection is still open.
    public var isOpen: Bool { channel.isActive && !core.isClosed }

    /// Connects to `server` and completes the handshake: waits for INFO, sends CONNECT and a PING,
    /// and returns once the PONG confirms the server took the credentials.
    static func connect(
        to server: NATSServerAddress, options: NATSOptions, group: any EventLoopGroup
    ) async throws(NATSError) -> NATSConnection {
        let core = Core()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(Int64(options.connectTimeout / .nanoseconds(1))))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(NATSOperationDecoder()))
                        try channel.pipeline.syncOperations.addHandler(Handler(core: core))
                    }
                }
                .connect(host: server.host, port: server.port).get()
        } catch let error as NIOConnectionError {
            // NIO's wrapper lists each address tried; the first one's error says it plainly.
            let reason = error.connectionErrors.first.map { "\($0.error)" } ?? (error.dnsAError ?? error.dnsAAAAError).map { "\($0)" }
            throw .connectionFailed(server: server.description, reason: reason ?? "\(error)")
        } catch {
            throw .connectionFailed(server: server.description, reason: "\(error)")
        }
        do {
            let info = try await withDeadline(options.connectTimeout, channel: channel, operation: "INFO") { () async throws(NATSError) in
                try await core.awaitInfo()
            }
            if info.tlsRequired || server.tls || options.tls != nil {
                try await startTLS(on: channel, server: server, options: options, core: core)
            }
            let connection = NATSConnection(channel: channel, core: core, info: info, server: server)
            var connect = ConnectOptions(
                name: options.name, user: server.user ?? options.user, pass: server.password ?? options.password,
                authToken: server.token ?? options.token)
            if let credentials = options.credentials {
                guard let nonce = info.nonce else { throw NATSError.invalidCredentials("the server sent no nonce to sign") }
                connect.jwt = credentials.jwt
                connect.sig = try credentials.key.sign(nonce: nonce)
            } else if let key = options.nkey {
                guard let nonce = info.nonce else { throw NATSError.invalidCredentials("the server sent no nonce to sign") }
                connect.nkey = key.publicKey
                connect.sig = try key.sign(nonce: nonce)
            }
            let json = String(decoding: try JSONEncoder().encode(connect), as: UTF8.self)
            var buffer = channel.allocator.buffer(capacity: json.count + 64)
            NATSClientCommand.connect(json, into: &buffer)
            NATSClientCommand.subscribe(subject: core.inboxPrefix + ".*", sid: Core.inboxSID, into: &buffer)
            let handshake = buffer
            try await withDeadline(options.connectTimeout, channel: channel, operation: "CONNECT") { () async throws(NATSError) in
                try await connection.ping(after: handshake)
            }
            return connection
        } catch let error as NATSError {
            try? await channel.close()
            throw error
        } catch {
            try? await channel.close()
            throw .protocolViolation("\(error)")
        }
    }

    /// Upgrades the connection after the server's INFO, as NATS does it: the TLS handler goes in
    /// front of the decoder, and CONNECT is the first thing sent through it.
    private static func startTLS(
        on channel: any Channel, server: NATSServerAddress, options: NATSOptions, core: Core
    ) async throws(NATSError) {
        let configuration = options.tls ?? TLSConfiguration.makeClientConfiguration()
        do {
            let context = try NIOSSLContext(configuration: configuration)
            // A name for SNI and verification; an address is checked against the certificate's IPs.
            let isAddress = server.host.contains(":") || server.host.allSatisfy { $0.isNumber || $0 == "." }
            let hostname = isAddress ? nil : server.host
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: hostname)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw .tls("cannot start TLS to \(server): \(error)")
        }
    }

    /// Closes the connection.
    public func close() async {
        try? await channel.close()
    }

    /// Sends PING (after `buffer`, when given) and returns at the PONG: everything written before
    /// has been processed by the server.
    public func ping() async throws(NATSError) {
        try await ping(after: nil)
    }

    private func ping(after prefix: ByteBuffer?) async throws(NATSError) {
        var buffer = prefix ?? channel.allocator.buffer(capacity: 8)
        NATSClientCommand.ping(into: &buffer)
        let channel = self.channel
        let ping = buffer
        try await core.awaitPong { channel.writeAndFlush(ping, promise: nil) }
    }

    /// Publishes a message; returns once it is written to the socket (which is the backpressure:
    /// a slow server slows the publisher).
    public func publish(_ subject: String, payload: [UInt8], headers: NATSHeaders? = nil, replyTo: String? = nil) async throws(NATSError) {
        guard NATSClientCommand.isValidSubject(subject) else { throw .protocolViolation("invalid subject \"\(subject)\"") }
        let size = payload.count + (headers.map { $0.encoded().count } ?? 0)
        guard size <= info.maxPayload else { throw .payloadTooLarge(size: size, maximum: info.maxPayload) }
        var buffer = channel.allocator.buffer(capacity: payload.count + subject.utf8.count + 64)
        NATSClientCommand.publish(subject: subject, replyTo: replyTo, headers: headers, payload: payload, into: &buffer)
        try await write(buffer)
    }

    /// Collects the answers of `requestAll` and resumes its caller once every one is in.
    private final class Answers: Sendable {
        private let state: Mutex<(results: [Result<NATSMessage, NATSError>?], left: Int)>
        private let continuation: CheckedContinuation<[Result<NATSMessage, NATSError>], Never>

        init(count: Int, _ continuation: CheckedContinuation<[Result<NATSMessage, NATSError>], Never>) {
            state = Mutex((Array(repeating: nil, count: count), count))
            self.continuation = continuation
        }

        func set(_ index: Int, _ result: Result<NATSMessage, NATSError>) {
            let done = state.withLock { state -> [Result<NATSMessage, NATSError>]? in
                guard state.results[index] == nil else { return nil }
                state.results[index] = result
                state.left -= 1
                return state.left == 0 ? state.results.map { $0! } : nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private func write(_ buffer: ByteBuffer) async throws(NATSError) {
        guard !core.isClosed else { throw core.closedError }
        do {
            try await channel.writeAndFlush(buffer)
        } catch {
            throw core.isClosed ? core.closedError : .disconnected
        }
    }

    /// Sends a request and returns the first answer, or throws `timeout` after `timeout`, and
    /// `noResponders` when the server says nobody listens on `subject`.
    public func request(
        _ subject: String, payload: [UInt8], headers: NATSHeaders? = nil, timeout: Duration
    ) async throws(NATSError) -> NATSMessage {
        try await requestAll([Request(subject: subject, payload: payload, headers: headers)], timeout: timeout)[0]
    }

    /// One request of `requestAll`.
    public struct Request: Sendable {
        public var subject: String
        public var payload: [UInt8]
        public var headers: NATSHeaders?

        public init(subject: String, payload: [UInt8], headers: NATSHeaders? = nil) {
            self.subject = subject
            self.payload = payload
            self.headers = headers
        }
    }

    /// Sends `requests` in one write, in their order (so the server, and a JetStream stream, gets
    /// them in that order), and returns their first answers in the same order. Throws the first
    /// failure (a timeout, no responders, the connection closing) once every request has ended.
    public func requestAll(_ requests: [Request], timeout: Duration) async throws(NATSError) -> [NATSMessage] {
        guard !requests.isEmpty else { return [] }
        var buffer = channel.allocator.buffer(capacity: requests.reduce(0) { $0 + $1.payload.count + 160 })
        var tokens: [String] = []
        for request in requests {
            guard NATSClientCommand.isValidSubject(request.subject) else { throw .protocolViolation("invalid subject \"\(request.subject)\"") }
            let size = request.payload.count + (request.headers.map { $0.encoded().count } ?? 0)
            guard size <= info.maxPayload else { throw .payloadTooLarge(size: size, maximum: info.maxPayload) }
            let token = core.makeToken()
            tokens.append(token)
            NATSClientCommand.publish(
                subject: request.subject, replyTo: core.inboxPrefix + "." + token, headers: request.headers, payload: request.payload,
                into: &buffer)
        }
        let core = self.core
        let channel = self.channel
        let written = buffer
        let sent = tokens
        // The waiters, their timers and the write are set up in one go, on no particular thread:
        // the timers start when the requests leave, however busy the caller's executor is.
        let outcomes = await withCheckedContinuation { (continuation: CheckedContinuation<[Result<NATSMessage, NATSError>], Never>) in
            let answers = Answers(count: sent.count, continuation)
            for (index, token) in sent.enumerated() {
                let subject = requests[index].subject
                let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout / .nanoseconds(1)))) {
                    core.fail(token, .timeout(operation: "request on \(subject)"))
                }
                core.register(
                    token,
                    receive: { message in
                        answers.set(index, message.status == 503 ? .failure(.noResponders(subject: subject)) : .success(message))
                        return false
                    },
                    failed: { answers.set(index, .failure($0)) },
                    finished: { timer.cancel() })
            }
            channel.writeAndFlush(written).whenFailure { _ in
                let error = core.isClosed ? core.closedError : NATSError.disconnected
                for token in sent { core.fail(token, error) }
            }
        }
        var messages: [NATSMessage] = []
        for outcome in outcomes { messages.append(try outcome.get()) }
        return messages
    }

    /// Sends a request whose answers are several messages (a JetStream pull). The returned stream
    /// ends after the message `isLast` picks, after `timeout`, or when the connection closes (with
    /// its error).
    ///
    /// The answers come through a subscription of their own: JetStream delivers pulled messages with
    /// their original subject, so only the subscription id tells them apart.
    public func requestMany(
        _ subject: String, payload: [UInt8], timeout: Duration, isLast: @escaping @Sendable (NATSMessage) -> Bool
    ) -> AsyncThrowingStream<NATSMessage, any Error> {
        // Outside `inboxPrefix.*`, so the shared inbox subscription does not receive a second copy.
        let replyTo = core.inboxPrefix + "m." + core.makeToken()
        let (stream, continuation) = AsyncThrowingStream<NATSMessage, any Error>.makeStream()
        let channel = self.channel
        let core = self.core
        let sid = core.addSubscription { message in
            continuation.yield(message)
            if isLast(message) { continuation.finish() }
        } finished: { error in
            continuation.finish(throwing: error)
        }
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout / .nanoseconds(1)))) {
            continuation.finish()
        }
        continuation.onTermination = { _ in
            timer.cancel()
            guard core.removeSubscription(sid) else { return }
            var unsubscribe = channel.allocator.buffer(capacity: 24)
            NATSClientCommand.unsubscribe(sid: sid, into: &unsubscribe)
            channel.writeAndFlush(unsubscribe, promise: nil)
        }
        var buffer = channel.allocator.buffer(capacity: payload.count + subject.utf8.count + 96)
        NATSClientCommand.subscribe(subject: replyTo, sid: sid, into: &buffer)
        NATSClientCommand.publish(subject: subject, replyTo: replyTo, headers: nil, payload: payload, into: &buffer)
        channel.writeAndFlush(buffer).whenFailure { _ in
            continuation.finish(throwing: core.isClosed ? core.closedError : NATSError.disconnected)
        }
        return stream
    }

    /// Subscribes to `subject` (wildcards allowed); the stream ends when the connection closes.
    public func subscribe(_ subject: String) async throws(NATSError) -> AsyncThrowingStream<NATSMessage, any Error> {
        let (stream, continuation) = AsyncThrowingStream<NATSMessage, any Error>.makeStream()
        let sid = core.addSubscription { continuation.yield($0) } finished: { error in continuation.finish(throwing: error) }
        var buffer = channel.allocator.buffer(capacity: subject.utf8.count + 32)
        NATSClientCommand.subscribe(subject: subject, sid: sid, into: &buffer)
        let channel = self.channel
        continuation.onTermination = { [core] _ in
            guard core.removeSubscription(sid) else { return }
            var unsubscribe = channel.allocator.buffer(capacity: 24)
            NATSClientCommand.unsubscribe(sid: sid, into: &unsubscribe)
            channel.writeAndFlush(unsubscribe, promise: nil)
        }
        try await write(buffer)
        return stream
    }

    private static func withDeadline<T: Sendable>(
        _ timeout: Duration, channel: any Channel, operation: String, _ body: @Sendable () async throws(NATSError) -> T
    ) async throws(NATSError) -> T {
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout / .nanoseconds(1)))) {
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            return try await body()
        } catch .disconnected {
            throw .timeout(operation: operation)
        }
    }

    /// The fields of CONNECT this client sends.
    private struct ConnectOptions: Encodable {
        var verbose = false
        var pedantic = false
        var headers = true
        var noResponders = true
        var lang = "swift"
        var version = "1.0"
        var `protocol` = 1
        var name: String
        var user: String?
        var pass: String?
        var authToken: String?
        var nkey: String?
        var jwt: String?
        var sig: String?

        enum CodingKeys: String, CodingKey {
            case verbose, pedantic, headers, noResponders = "no_responders", lang, version, `protocol`, name, user, pass
            case authToken = "auth_token", nkey, jwt, sig
        }
    }
}
