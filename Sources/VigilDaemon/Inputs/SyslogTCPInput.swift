import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import VigilCore
import VigilFormats
import VigilIngest

/// The syslog-over-TCP input (RFC 6587): one listening socket per address, a `SyslogStreamHandler`
/// per connection, on the same event loops as the other inputs. Connections beyond
/// `max_connections` are closed at once and counted in `vigil_syslog_tcp_refused_connections_total`.
public final class SyslogTCPInput: Sendable {
    private let configuration: SyslogTCPConfiguration
    private let pipeline: IngestPipeline
    private let group: any EventLoopGroup
    private let logger: Logger
    private let listeners = ChannelSet()
    private let connections = ChannelSet()

    public init(configuration: SyslogTCPConfiguration, pipeline: IngestPipeline, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.pipeline = pipeline
        self.group = group
        self.logger = logger
    }

    /// Binds every listen address; returns the bound addresses.
    public func start() async throws -> [SocketAddress] {
        let timeZone = TimeZone(identifier: configuration.timeZone) ?? TimeZone(identifier: "UTC")!
        let pipeline = pipeline
        let maximum = Int(configuration.maxMessageBytes)
        let connections = connections
        let limit = configuration.maxConnections
        let refused = Counter(label: "vigil_syslog_tcp_refused_connections_total")
        let logger = logger
        var bound: [SocketAddress] = []
        for address in configuration.listen {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.autoRead, value: true)
                .childChannelInitializer { channel in
                    guard connections.insert(channel, limit: limit) else {
                        refused.increment()
                        logger.warning(
                            "closing a syslog TCP connection: max_connections reached",
                            metadata: ["peer": "\(channel.remoteAddress.map { "\($0)" } ?? "?")", "max_connections": "\(limit)"])
                        return channel.close()
                    }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            SyslogStreamHandler(
                                parser: SyslogParser(timeZone: timeZone), pipeline: pipeline, maximumMessageBytes: maximum))
                    }
                }
                .bind(host: address.host, port: address.port)
                .get()
            listeners.insert(channel)
            if let local = channel.localAddress { bound.append(local) }
            logger.info(
                "listening for syslog over TCP",
                metadata: ["address": "\(address.host):\(channel.localAddress?.port ?? address.port)"])
        }
        return bound
    }

    /// Stops listening and closes the open connections; each hands over what it had read.
    public func stop() async {
        await listeners.closeAll()
        await connections.closeAll()
    }
}
