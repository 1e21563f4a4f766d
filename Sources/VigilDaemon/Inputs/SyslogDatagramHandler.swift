import Foundation
import Metrics
import NIOCore
import VigilCore
import VigilFormats
import VigilIngest

/// Turns syslog datagrams into records on the channel's event loop and hands them to the pipeline
/// at the end of each read burst (NIO reads up to `datagramVectorReadMessageCount` datagrams per
/// system call), never waiting: when the pipeline is full the burst is dropped and counted.
///
/// A datagram may hold several newline-separated messages; each becomes a record. The sender's
/// address becomes the field `source_ip`. A datagram that is not syslog is kept as a raw record
/// and counted as a parse failure.
final class SyslogDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private var batch: SyslogBatch
    /// The last sender seen, and its address text, so a busy sender's address is not re-rendered
    /// for every datagram.
    private var lastSender: SocketAddress?
    private var lastSenderText = ""

    /// Datagrams this long filled their receive slot and were probably cut by the kernel.
    private let maximumDatagramBytes: Int
    private let truncated = Counter(label: "vigil_syslog_udp_truncated_total")

    init(parser: SyslogParser, pipeline: IngestPipeline, maximumDatagramBytes: Int) {
        batch = SyslogBatch(parser: parser, input: .syslogUDP, pipeline: pipeline)
        self.maximumDatagramBytes = maximumDatagramBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let receivedAt = Int64(Date().timeIntervalSince1970 * 1e9)
        if envelope.remoteAddress != lastSender {
            lastSender = envelope.remoteAddress
            lastSenderText = envelope.remoteAddress.ipAddress ?? "\(envelope.remoteAddress)"
        }
        let sender = lastSenderText
        batch.received(envelope.data.readableBytes)
        let cut = envelope.data.readableBytes >= maximumDatagramBytes
        if cut { truncated.increment() }
        envelope.data.withUnsafeReadableBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            let before = batch.count
            SyslogParser.forEachMessage(in: buffer) { range in
                batch.add(UnsafeBufferPointer(rebasing: buffer[range]), receivedAt: receivedAt, sender: sender, truncated: cut)
            }
            if batch.count == before {
                // An empty datagram still arrived; keep it visible rather than losing it silently.
                batch.add(buffer, receivedAt: receivedAt, sender: sender, truncated: cut)
            }
        }
        if batch.count >= 4096 { batch.flush(whenFull: .drop) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        batch.flush(whenFull: .drop)
    }
}
