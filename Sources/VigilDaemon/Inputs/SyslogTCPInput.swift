import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import VigilCore
import VigilFormats
import VigilIngest

/// The syslog-over-TCP input (RFC 6587): one listening socket per address, a `SyslogStreamHandler`
/// per connection, on the same event loops as the other inputs.
public final class SyslogTCPInput: Sendable {
    private let configuration: SyslogTCPConfiguration
    private let pipeline: IngestPipeline
    private let group: any EventLoopGroup
    private let logger: Logger
    private let channels = Mutex<[any Channel]>([])
    /// Open connections, by channel identity, so `stop` can close them.
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

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
        let connections = self
        var bound: [SocketAddress] = []
        for address in configuration.listen {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.autoRead, value: true)
                .childChannelInitializer { channel in
                    connections.track(channel)
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            SyslogStreamHandler(
                                parser: SyslogParser(timeZone: timeZone), pipeline: pipeline, maximumMessageBytes: maximum))
                    }
                }
                .bind(host: address.host, port: address.port)
                .get()
            channels.withLock { $0.append(channel) }
            if let local = channel.localAddress { bound.append(local) }
            logger.info(
                "listening for syslog over TCP",
                metadata: ["address": "\(address.host):\(channel.localAddress?.port ?? address.port)"])
        }
        return bound
    }

    /// Stops listening and closes the open connections; each hands over what it had read.
    public func stop() async {
        let open = channels.withLock { channels in
            defer { channels = [] }
            return channels
        }
        for channel in open {
            try? await channel.close()
        }
        for connection in connections.withLock({ Array($0.values) }) {
            try? await connection.close()
        }
    }

    /// Remembers `channel` until it closes.
    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        connections.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { _ in
            self.connections.withLock { _ = $0.removeValue(forKey: id) }
        }
    }
}
