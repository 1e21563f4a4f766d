import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import VigilCore
import VigilFormats
import VigilIngest

/// The syslog-over-UDP input: one datagram channel per listen address, read with vectored reads
/// (`recvmmsg`, `datagramsPerRead` datagrams per call) into a large socket receive buffer.
///
/// NIO splits the receive buffer evenly between the datagrams of one vectored read, so each gets
/// `maximumDatagramBytes`; a longer datagram is cut there by the kernel. Such a datagram is stored
/// with the field `truncated = "true"` and counted in `vigil_syslog_udp_truncated_total`.
///
/// The receive buffer is set with `SO_RCVBUFFORCE` when the process may (CAP_NET_ADMIN), else
/// `SO_RCVBUF`, which the kernel caps at `net.core.rmem_max`; the size obtained is logged.
public final class SyslogUDPInput: Sendable {
    /// Datagrams read per `recvmmsg` call.
    static let datagramsPerRead = 64
    /// `recvmmsg` calls per readiness notification, before the records read are handed over: up
    /// to 1,024 datagrams per wake-up under load.
    static let readsPerWakeup: UInt = 16
    /// The longest datagram kept whole: 16 KiB (rsyslog's default limit is 8 KiB; RFC 5426 asks
    /// receivers for at least 2 KiB).
    static let maximumDatagramBytes = 16 << 10

    private let configuration: SyslogUDPConfiguration
    private let pipeline: IngestPipeline
    private let group: any EventLoopGroup
    private let logger: Logger
    private let channels = ChannelSet()
    /// Each channel's parsing queue, drained when the input stops.
    private let parsingQueues = Mutex<[SyslogParsingQueue]>([])
    /// Messages waiting for parsing on one channel's queue at which reading pauses: a few bursts
    /// (under 1 MiB of datagrams). The socket's receive buffer is the reserve that matters; what
    /// waits here waits in memory that counts toward vigild's RSS.
    static let parsingQueueLimit = 4096

    public init(configuration: SyslogUDPConfiguration, pipeline: IngestPipeline, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.pipeline = pipeline
        self.group = group
        self.logger = logger
    }

    /// Binds every listen address; returns the bound addresses (with the ports the kernel chose for
    /// port 0).
    public func start() async throws -> [SocketAddress] {
        let timeZone = TimeZone(identifier: configuration.timeZone) ?? TimeZone(identifier: "UTC")!
        let pipeline = pipeline
        var bound: [SocketAddress] = []
        for address in configuration.listen {
            let channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.datagramVectorReadMessageCount, value: Self.datagramsPerRead)
                .channelOption(.maxMessagesPerRead, value: Self.readsPerWakeup)
                .channelOption(
                    .recvAllocator,
                    value: FixedSizeRecvByteBufferAllocator(capacity: Self.datagramsPerRead * Self.maximumDatagramBytes))
                .channelInitializer { [self] channel in
                    let parsing = SyslogParsingQueue(
                        parser: SyslogParser(timeZone: timeZone), pipeline: pipeline, limit: Self.parsingQueueLimit,
                        resume: { channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in } })
                    parsingQueues.withLock { $0.append(parsing) }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            SyslogDatagramHandler(
                                parsing: parsing, pipeline: pipeline,
                                maximumDatagramBytes: Self.maximumDatagramBytes, datagramsPerRead: Self.datagramsPerRead))
                    }
                }
                .bind(host: address.host, port: address.port)
                .get()
            let buffer = await Self.setReceiveBuffer(channel, bytes: configuration.receiveBuffer)
            channels.insert(channel)
            if let local = channel.localAddress { bound.append(local) }
            logger.info(
                "listening for syslog over UDP",
                metadata: ["address": "\(address.host):\(channel.localAddress?.port ?? address.port)", "receive_buffer": "\(buffer)"])
        }
        return bound
    }

    /// Closes every channel; datagrams already read are still parsed and handed to the pipeline
    /// before it returns.
    public func stop() async {
        await channels.closeAll()
        for parsing in parsingQueues.withLock({ $0 }) { await parsing.drain() }
    }

    /// Asks for `bytes` of receive buffer and returns what the kernel granted (Linux reports twice
    /// the usable size, its bookkeeping included).
    private static func setReceiveBuffer(_ channel: any Channel, bytes: Int64) async -> Int {
        let value = Int(clamping: bytes)
        let force = ChannelOptions.Types.SocketOption(level: .socket, name: .init(rawValue: SO_RCVBUFFORCE))
        if (try? await channel.setOption(force, value: value).get()) == nil {
            try? await channel.setOption(.socketOption(.so_rcvbuf), value: value).get()
        }
        return Int((try? await channel.getOption(.socketOption(.so_rcvbuf)).get()) ?? 0)
    }
}
