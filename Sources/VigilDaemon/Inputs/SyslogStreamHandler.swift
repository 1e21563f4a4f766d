import Foundation
import NIOCore
import VigilCore
import VigilFormats
import VigilIngest

/// One syslog-over-TCP connection: frames the stream (RFC 6587, `SyslogStreamFramer`), parses the
/// messages on the event loop and hands them to the pipeline at the end of each read burst.
///
/// TCP can push back, so nothing is dropped: while the pipeline is full the handler stops reading
/// (the kernel's receive window fills and the sender waits) and offers the batch again as soon as
/// a commit gives room back (`IngestPipeline.whenRoom`, which hops back onto the channel's event
/// loop); it is a duplex handler only to hold back the channel's `read` calls meanwhile. A partial last
/// message is stored when the sender closes the connection, and what is left when it closes waits
/// for room like the rest.
final class SyslogStreamHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer

    private var framer: SyslogStreamFramer
    private var batch: SyslogBatch
    private let pipeline: IngestPipeline
    private var buffer: ByteBuffer?
    private var sender = ""
    /// Reading is paused until the batch is handed over.
    private var waitingForRoom = false
    /// The pipeline will call back when it has room (`whenRoom`).
    private var wakeUpAsked = false

    init(parser: SyslogParser, pipeline: IngestPipeline, maximumMessageBytes: Int) {
        framer = SyslogStreamFramer(maximumMessageBytes: maximumMessageBytes)
        batch = SyslogBatch(parser: parser, input: .syslogTCP, pipeline: pipeline)
        self.pipeline = pipeline
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

    /// Offers the batch; while the pipeline is full, pauses reading and offers it again once room
    /// comes back (also after the connection has closed, until what it delivered is handed over).
    private func handOver(context: ChannelHandlerContext) {
        if batch.flush(whenFull: .keep) {
            resumeReading(context: context)
            return
        }
        waitingForRoom = true
        guard !wakeUpAsked else { return }
        wakeUpAsked = true
        let loop = context.eventLoop
        let retry = NIOLoopBound({ [self] in
            wakeUpAsked = false
            handOver(context: context)
        }, eventLoop: loop)
        pipeline.whenRoom { loop.execute { retry.value() } }
        // Room given back before the wake-up was asked for is seen by offering once more now (the
        // wake-up then finds the batch handed over).
        if batch.flush(whenFull: .keep) { resumeReading(context: context) }
    }

    /// Reads again after a pause for room.
    private func resumeReading(context: ChannelHandlerContext) {
        guard waitingForRoom else { return }
        waitingForRoom = false
        if context.channel.isActive { context.read() }
    }
}
