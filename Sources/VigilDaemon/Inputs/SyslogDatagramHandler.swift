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

    private var parser: SyslogParser
    private let pipeline: IngestPipeline
    private let metrics: IngestMetrics
    private var records: [LogRecord] = []
    private var sizes: [Int] = []
    private var bytes = 0
    private var rawBefore = 0
    /// The last sender seen, and its address text, so a busy sender's address is not re-rendered
    /// for every datagram.
    private var lastSender: SocketAddress?
    private var lastSenderText = ""

    /// Datagrams this long filled their receive slot and were probably cut by the kernel.
    private let maximumDatagramBytes: Int
    private let truncated = Counter(label: "vigil_syslog_udp_truncated_total")

    init(parser: SyslogParser, pipeline: IngestPipeline, maximumDatagramBytes: Int) {
        self.parser = parser
        self.pipeline = pipeline
        self.maximumDatagramBytes = maximumDatagramBytes
        metrics = pipeline.metrics(for: .syslogUDP)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let receivedAt = Int64(Date().timeIntervalSince1970 * 1e9)
        if envelope.remoteAddress != lastSender {
            lastSender = envelope.remoteAddress
            lastSenderText = envelope.remoteAddress.ipAddress ?? "\(envelope.remoteAddress)"
        }
        let sender = lastSenderText
        bytes += envelope.data.readableBytes
        let cut = envelope.data.readableBytes >= maximumDatagramBytes
        if cut { truncated.increment() }
        envelope.data.withUnsafeReadableBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            let before = records.count
            SyslogParser.forEachMessage(in: buffer) { range in
                let message = UnsafeBufferPointer(rebasing: buffer[range])
                append(parser.parse(message, receivedAt: receivedAt), from: sender, size: range.count, truncated: cut)
            }
            if records.count == before {
                // An empty datagram still arrived; keep it visible rather than losing it silently.
                append(parser.parse(buffer, receivedAt: receivedAt), from: sender, size: buffer.count, truncated: cut)
            }
        }
        if records.count >= 4096 { flush() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
    }

    private func append(_ record: LogRecord, from sender: String, size: Int, truncated: Bool) {
        var record = record
        record.fields["source_ip"] = sender
        if truncated { record.fields["truncated"] = "true" }
        records.append(record)
        sizes.append(size)
    }

    private func flush() {
        guard !records.isEmpty else { return }
        metrics.bytes.increment(by: bytes)
        let raw = parser.rawCount - rawBefore
        if raw > 0 { metrics.parseFailures.increment(by: raw) }
        rawBefore = parser.rawCount
        pipeline.offer(records, sourceSizes: sizes, from: .syslogUDP)
        // The next burst is likely as large as this one: allocate once rather than grow.
        let expected = records.count
        records = []
        records.reserveCapacity(expected)
        sizes = []
        sizes.reserveCapacity(expected)
        bytes = 0
    }
}
