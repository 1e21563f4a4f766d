import Foundation
import NIOCore
import VigilCore
import VigilFormats
import VigilIngest

/// One syslog-over-TCP connection: frames the stream (RFC 6587, `SyslogStreamFramer`), parses the
/// messages on the event loop and hands them to the pipeline at the end of each read burst.
///
/// TCP can push back, so nothing is dropped: while the pipeline is full the handler stops reading
/// (the kernel's receive window fills and the sender waits) and offers the batch again every 10 ms;
/// it is a duplex handler only to hold back the channel's `read` calls meanwhile. A partial last
/// message is stored when the sender closes the connection, and what is left when it closes waits
/// for room like the rest.
final class SyslogStreamHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer

    static let retryInterval = TimeAmount.milliseconds(10)

    private var framer: SyslogStreamFramer
    private var batch: SyslogBatch
    private var buffer: ByteBuffer?
    private var sender = ""
    private var waitingForRoom = false

    init(parser: SyslogParser, pipeline: IngestPipeline, maximumMessageBytes: Int) {
        framer = SyslogStreamFramer(maximumMessageBytes: maximumMessageBytes)
        batch = SyslogBatch(parser: parser, input: .syslogTCP, pipeline: pipeline)
    }

    func channelActive(context: ChannelHandlerContext) {
        if let remote = context.remoteAddress { sender = remote.ipAddress ?? "\(remote)" }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        batch.received(incoming.readableBytes)
        if buffer == nil {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        frame(atEnd: false)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        handOver(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        frame(atEnd: true)
        if !waitingForRoom { handOver(context: context) }
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        // While the pipeline is full, do not ask the kernel for more.
        if !waitingForRoom { context.read() }
    }

    /// Turns every complete frame in the buffer into a record.
    private func frame(atEnd: Bool) {
        guard var pending = buffer else { return }
        let receivedAt = WallClock.now()
        let consumed = pending.withUnsafeReadableBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            return framer.forEachMessage(in: bytes, atEnd: atEnd) { message, truncated in
                batch.add(UnsafeBufferPointer(rebasing: bytes[message]), receivedAt: receivedAt, sender: sender, truncated: truncated)
            }
        }
        pending.moveReaderIndex(forwardBy: consumed)
        if pending.readableBytes == 0 {
            buffer = nil
        } else {
            pending.discardReadBytes()
            buffer = pending
        }
    }

    /// Offers the batch; while the pipeline is full, pauses reading and retries (also after the
    /// connection has closed, until what it delivered is handed over).
    private func handOver(context: ChannelHandlerContext) {
        if batch.flush(whenFull: .keep) {
            if waitingForRoom {
                waitingForRoom = false
                if context.channel.isActive { context.read() }
            }
            return
        }
        waitingForRoom = true
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.retryInterval) { [self] in
            handOver(context: context)
        }
    }
}
