import HTTPTypes
import Hummingbird
import Logging
import HummingbirdCore
import Metrics
import NIOCore
import NIOHTTPTypes
import VigilIngest

/// Watches one HTTP connection (after HTTP decoding, before Hummingbird's handling): registers it
/// with its listener's `HTTPConnectionRegistry`, closes it when its first request header does not
/// arrive within `header_timeout`, when it sits idle between requests longer than `idle_timeout`, or
/// when a request body stops arriving for `body_timeout`, and closes it after an error answer (400,
/// 408, 413, 414, 431) instead of reading on.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What a timer that fired was waiting for (the metric's `reason`).
    enum Wait: String {
        case header, idle, body
    }

    private let registry: HTTPConnectionRegistry
    private let limits: HTTPConnectionLimits
    private let timeouts: [Wait: Counter]
    private var id: UInt64?
    private var timer: Scheduled<Void>?
    private var closeAfterAnswer = false

    /// Statuses after which the connection is closed rather than kept: the request could not be read.
    static let closingStatuses: Set<Int> = [400, 408, 413, 414, 431]

    init(registry: HTTPConnectionRegistry, limits: HTTPConnectionLimits, timeouts: [Wait: Counter]) {
        self.registry = registry
        self.limits = limits
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if id == nil { admit(context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        if let id { registry.closed(id) }
        id = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            if let id { registry.update(id, to: .busy) }
            wait(.body, context)
        case .body:
            wait(.body, context)
        case .end:
            cancelTimer()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if Self.closingStatuses.contains(response.status.code) { closeAfterAnswer = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            if closeAfterAnswer {
                context.writeAndFlush(data, promise: promise)
                context.close(promise: nil)
                return
            }
            context.write(data, promise: promise)
            if let id { registry.update(id, to: .idle) }
            wait(.idle, context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A request the decoder cannot read (a malformed or oversized header): nothing more on this
        // connection can be trusted.
        context.close(promise: nil)
    }

    private func admit(_ context: ChannelHandlerContext) {
        let channel = context.channel
        guard let id = registry.admit(close: { channel.close(promise: nil) }) else {
            context.close(promise: nil)
            return
        }
        self.id = id
        wait(.header, context)
    }

    /// (Re)starts the one timer a connection has, for `what`.
    private func wait(_ what: Wait, _ context: ChannelHandlerContext) {
        cancelTimer()
        let nanoseconds: Int64
        switch what {
        case .header: nanoseconds = limits.headerTimeout
        case .idle: nanoseconds = limits.idleTimeout
        case .body: nanoseconds = limits.bodyTimeout
        }
        let counter = timeouts[what]
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(nanoseconds)) {
            counter?.increment()
            context.close(promise: nil)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

/// The server set-up every HTTP listener of vigild shares (the logs input, the management API):
/// HTTP/1.1 with an `HTTPConnectionGuard` on each connection, all reporting to one
/// `HTTPConnectionRegistry` per listener.
enum GuardedHTTPServer {
    /// The application serving `router` on `listen` with this set-up; `onListening` gets the bound
    /// address.
    static func application<Routes: HTTPResponderBuilder>(
        router: Routes, listen: ListenAddress, limits: HTTPConnectionLimits, listener: String, logger: Logger,
        onListening: @escaping @Sendable (SocketAddress?) async -> Void
    ) -> some ApplicationProtocol where Routes.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        Application(
            router: router,
            server: builder(limits: limits, listener: listener),
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: "vigild"),
            onServerRunning: { channel in await onListening(channel.localAddress) },
            logger: logger)
    }

    /// The server builder for a listener named `listener` in the metrics (`http`, `api`).
    static func builder(limits: HTTPConnectionLimits, listener: String) -> HTTPServerBuilder {
        let registry = HTTPConnectionRegistry(maximum: limits.effectiveMaximumConnections, listener: listener)
        let timeouts = Dictionary(
            uniqueKeysWithValues: [HTTPConnectionGuard.Wait.header, .idle, .body].map {
                ($0, Counter(label: "vigil_http_connections_timed_out_total", dimensions: [("listener", listener), ("reason", $0.rawValue)]))
            })
        return .http1(
            configuration: .init(
                additionalChannelHandlers: [HTTPConnectionGuard(registry: registry, limits: limits, timeouts: timeouts)]))
    }
}
