import Foundation
import Metrics
import NIOCore
import VigilCore
import VigilFormats
import VigilIngest

/// Splits syslog datagrams into messages on the channel's event loop, copies them out of the
/// receive buffer, and hands each read burst (NIO reads up to `datagramVectorReadMessageCount`
/// datagrams per system call) to a `SyslogParsingQueue`, which parses them into records on another
/// thread and offers those to the pipeline. It never waits: when the parsing queue is full it
/// stops reading the socket (the datagrams wait in the kernel's receive buffer) until the queue has
/// room again.
///
/// A datagram may hold several newline-separated messages; each becomes a record. The sender's
/// address becomes the field `source_ip`. A datagram that is not syslog is kept as a raw record
/// and counted as a parse failure.
///
/// After a burst that filled at least one whole vectored read, the handler looks at the socket's
/// receive queue (`SO_MEMINFO`): when it holds more than an eighth of the receive buffer, datagrams
/// arrive faster than the event loop gets to them, and the store is told to write its cheaper
/// catch-up blocks for a while (`IngestPipeline.noteReceiveBacklog`), before the kernel drops any.
final class SyslogDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private var burst = SyslogMessageBurst()
    private let parsing: SyslogParsingQueue
    private let pipeline: IngestPipeline
    /// The channel's socket options, to read its receive queue; nil until the handler is added.
    private var socketOptions: (any SocketOptionProvider)?
    /// Datagrams read in the current burst, and how many one vectored read returns at most: a
    /// burst shorter than that emptied the socket.
    private var burstDatagrams = 0
    /// When the current burst's first datagram was read, nanoseconds since the epoch.
    private var burstReceivedAt: Int64 = 0
    private let datagramsPerRead: Int
    /// The last sender seen, and its address text, so a busy sender's address is not re-rendered
    /// for every datagram.
    private var lastSender: SocketAddress?
    private var lastSenderText = ""

    /// Datagrams this long filled their receive slot and were probably cut by the kernel.
    private let maximumDatagramBytes: Int
    private let truncated = Counter(label: "vigil_syslog_udp_truncated_total")

    init(parsing: SyslogParsingQueue, pipeline: IngestPipeline, maximumDatagramBytes: Int, datagramsPerRead: Int) {
        self.parsing = parsing
        self.pipeline = pipeline
        self.maximumDatagramBytes = maximumDatagramBytes
        self.datagramsPerRead = datagramsPerRead
    }

    func handlerAdded(context: ChannelHandlerContext) {
        socketOptions = context.channel as? any SocketOptionProvider
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        // One clock reading per read burst: its datagrams arrived within microseconds of each other.
        if burstDatagrams == 0 { burstReceivedAt = WallClock.now() }
        burstDatagrams += 1
        let receivedAt = burstReceivedAt
        if envelope.remoteAddress != lastSender {
            lastSender = envelope.remoteAddress
            lastSenderText = envelope.remoteAddress.ipAddress ?? "\(envelope.remoteAddress)"
        }
        let sender = lastSenderText
        burst.received(envelope.data.readableBytes)
        let cut = envelope.data.readableBytes >= maximumDatagramBytes
        if cut { truncated.increment() }
        envelope.data.withUnsafeReadableBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            let before = burst.count
            SyslogParser.forEachMessage(in: buffer) { range in
                burst.append(UnsafeBufferPointer(rebasing: buffer[range]), receivedAt: receivedAt, sender: sender, truncated: cut)
            }
            if burst.count == before {
                // An empty datagram still arrived; keep it visible rather than losing it silently.
                burst.append(buffer, receivedAt: receivedAt, sender: sender, truncated: cut)
            }
        }
        if burst.count >= 4096 { handOver(context) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        handOver(context)
        if burstDatagrams >= datagramsPerRead { checkReceiveQueue() }
        burstDatagrams = 0
    }

    private func handOver(_ context: ChannelHandlerContext) {
        guard burst.count > 0 else { return }
        if !parsing.submit(burst) { context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in } }
        burst = SyslogMessageBurst(capacityLike: burst)
    }

    /// Reports a backlog when the receive queue holds more than an eighth of the buffer. The first
    /// two counters of `SO_MEMINFO` are the bytes queued (`SK_MEMINFO_RMEM_ALLOC`) and the buffer
    /// (`SK_MEMINFO_RCVBUF`), both as the kernel accounts them; the answer is immediate on the
    /// channel's event loop.
    private func checkReceiveQueue() {
        guard let socketOptions else { return }
        let memoryInfo: EventLoopFuture<(queued: UInt32, buffer: UInt32)> = socketOptions.unsafeGetSocketOption(
            level: .socket, name: NIOBSDSocket.Option(rawValue: SO_MEMINFO))
        memoryInfo.whenSuccess { [pipeline] info in
            if UInt64(info.queued) * 8 > UInt64(info.buffer) { pipeline.noteReceiveBacklog() }
        }
    }
}
