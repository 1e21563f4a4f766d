import Dispatch
import Foundation
import Glibc
import Logging
import Metrics
import Synchronization
import VigilCore
import VigilFormats

/// Reads one UDP socket on a thread of its own with vectored reads (`recvmmsg`, 64 datagrams per
/// call, up to 16 calls per wake-up), splits each datagram into syslog messages, copies them out of
/// the read buffers, and hands each read burst to a `SyslogParsingQueue`, which parses them into
/// records on another thread and offers those to the pipeline. It never drops: when the parsing
/// queue is full it stops reading until the queue has room again, and the datagrams wait in the
/// kernel's receive buffer (the kernel counts what does not fit).
///
/// Why not NIO's datagram channel, which this input used at first: NIO makes a `SocketAddress`
/// for every datagram and renders its text with `inet_ntop` (about 1,700 instructions per
/// datagram, `sprintf` included), wraps each datagram in an `AddressedEnvelope` and a `NIOAny`
/// (allocated, reference counted and freed), and so spent about as much CPU per datagram in user
/// space as parsing it; under a flood, its event loop was the thread that starved first. Here a
/// sender's address is compared as bytes and rendered only when it changes, and the datagrams stay
/// in one reused buffer until they are copied into the burst.
///
/// A datagram may hold several newline-separated messages; each becomes a record. The sender's
/// address becomes the field `source_ip`. A datagram longer than `maximumDatagramBytes` arrives cut
/// there, is stored with `truncated = "true"` and counted in `vigil_syslog_udp_truncated_total`.
///
/// Under steady traffic the receiver would wake for every few datagrams (about 14,000 times a second
/// at 300k datagrams/s, 22 datagrams each), and each wake-up costs a sleep and a wake in the kernel
/// and a hand-over to the parsing queue. After a wake-up that emptied the socket it therefore
/// waits a moment (`coalescingDelay`, up to 2 ms) before it polls again, so that the next wake-up
/// finds a larger burst, as network cards coalesce interrupts. What it read is handed over before
/// the wait, so no datagram waits for it longer than it would have waited in the socket; the wait
/// is bounded by the receive buffer, so that the datagrams arriving meanwhile never fill it.
///
/// After a burst that filled at least one whole vectored read, the receiver looks at the socket's
/// receive queue (`SO_MEMINFO`): when it holds more than an eighth of the receive buffer, datagrams
/// arrive faster than they are read, and the store is told to write its cheaper catch-up blocks for
/// a while (`IngestPipeline.noteReceiveBacklog`), before the kernel drops any.
final class SyslogDatagramReceiver: Sendable {
    /// Datagrams read per `recvmmsg` call.
    static let datagramsPerRead = 64
    /// `recvmmsg` calls per wake-up before the messages read are handed over: up to 1,024
    /// datagrams under load.
    static let readsPerWakeup = 16
    /// The longest datagram kept whole: 16 KiB (rsyslog's default limit is 8 KiB; RFC 5426 asks
    /// receivers for at least 2 KiB).
    static let maximumDatagramBytes = 16 << 10
    /// Messages waiting for parsing at which reading pauses: 32,768, about 7 MiB of syslog lines
    /// at ~200 bytes, held as the bytes they arrived as (about half what a parsed record takes in
    /// the pipeline). A burst the parser cannot keep up with waits here, read in full vectored
    /// reads, rather than in the socket's buffer with reading paused and resumed every few
    /// thousand messages, as rsyslog's imudp leaves its messages unparsed in its queue; the price
    /// is a few MiB of RSS during a flood (the measurements are in bench/history/).
    static let parsingQueueLimit = 32768
    /// Messages in one burst at which it is handed over before the wake-up's reads end.
    static let burstLimit = 4096
    /// The longest wait after a wake-up that emptied the socket (`coalescingDelay`).
    static let maximumCoalescingDelay: Duration = .milliseconds(2)

    /// How long to wait after a wake-up that emptied the socket, for a receive buffer of
    /// `bufferBytes` (as the kernel accounts it): the time datagrams arriving at 1 GB/s of kernel
    /// memory (about a million a second) take to fill an eighth of it, at most
    /// `maximumCoalescingDelay`; none when that is under 250 µs (a small buffer that a wait could
    /// overflow). vigild's default 8 MiB buffer (16 MiB as the kernel accounts it) gets the 2 ms.
    static func coalescingDelay(bufferBytes: Int) -> Duration? {
        let delay = Duration.nanoseconds(bufferBytes / 8)  // 1 byte per nanosecond
        guard delay >= .microseconds(250) else { return nil }
        return min(delay, maximumCoalescingDelay)
    }

    private let socket: UDPSocket
    private let parsing: SyslogParsingQueue
    private let pipeline: IngestPipeline
    private let logger: Logger
    /// Signalled by the parsing queue when it has room again after a pause, and by `stop`.
    private let resumed = DispatchSemaphore(value: 0)
    /// A pipe whose write end `stop` writes to, waking the thread from `poll`.
    private let wakeUp: (read: CInt, write: CInt)
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchGroup()
    private let truncated = Counter(label: "vigil_syslog_udp_truncated_total")

    init(
        socket: UDPSocket, parser: SyslogParser, pipeline: IngestPipeline, logger: Logger,
        parsingQueueLimit: Int = SyslogDatagramReceiver.parsingQueueLimit
    ) throws(UDPSocket.Failure) {
        var ends: [CInt] = [0, 0]
        guard pipe(&ends) == 0 else { throw UDPSocket.Failure(operation: "pipe", code: errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        wakeUp = (ends[0], ends[1])
        self.socket = socket
        self.pipeline = pipeline
        self.logger = logger
        let resumed = resumed
        parsing = SyslogParsingQueue(
            parser: parser, pipeline: pipeline, limit: parsingQueueLimit, resume: { resumed.signal() })
    }

    /// Starts the reading thread.
    func start() {
        finished.enter()
        Thread { [self] in
            Thread.current.name = "vigil-udp-recv"  // as `top -H` and /proc show it
            run()
            finished.leave()
        }.start()
    }

    /// Stops reading, closes the socket, and returns once every message read has been parsed and
    /// offered to the pipeline.
    func stop() async {
        stopping.store(true, ordering: .sequentiallyConsistent)
        var byte: UInt8 = 1
        _ = write(wakeUp.write, &byte, 1)
        resumed.signal()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            finished.notify(queue: .global()) { done.resume() }
        }
        socket.close()
        close(wakeUp.read)
        close(wakeUp.write)
        await parsing.drain()
    }

    /// The thread's loop: wait until the socket is readable, read bursts, hand them over.
    private func run() {
        let batch = DatagramBatch(capacity: Self.datagramsPerRead, slotBytes: Self.maximumDatagramBytes)
        var burst = parsing.emptyBurst()
        var senders = SenderAddressText()
        let coalescing = socket.receiveQueue().flatMap { Self.coalescingDelay(bufferBytes: Int($0.buffer)) }
        var descriptors = [
            pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeUp.read, events: Int16(POLLIN), revents: 0),
        ]
        while !stopping.load(ordering: .sequentiallyConsistent) {
            guard poll(&descriptors, 2, -1) > 0 else {
                if errno != EINTR { pauseAfter(UDPSocket.Failure(operation: "poll", code: errno)) }
                continue
            }
            if descriptors[1].revents != 0 { return }
            var filledARead = false
            var drained = false
            for _ in 0..<Self.readsPerWakeup {
                let count: Int
                do {
                    count = try batch.read(from: socket.descriptor)
                } catch {
                    pauseAfter(error)
                    break
                }
                guard count > 0 else {
                    drained = true
                    break
                }
                // One clock reading per read: its datagrams arrived within microseconds of each other.
                let receivedAt = WallClock.now()
                for index in 0..<count {
                    add(batch, index, to: &burst, receivedAt: receivedAt, sender: senders.text(for: batch.sender(index)))
                }
                if burst.count >= Self.burstLimit { handOver(&burst) }
                guard count == Self.datagramsPerRead else {
                    drained = true
                    break
                }
                filledARead = true
            }
            handOver(&burst)
            if filledARead, let queue = socket.receiveQueue(), UInt64(queue.queued) * 8 > UInt64(queue.buffer) {
                pipeline.noteReceiveBacklog()
            }
            // (A signal may end the wait early: no harm done.)
            if drained, let coalescing { usleep(UInt32(coalescing / .microseconds(1))) }
        }
    }

    /// Logs a failed `poll` or `recvmmsg` (neither fails on a healthy socket: out of memory, say)
    /// and waits a little before trying again, so that a lasting failure neither spins nor floods
    /// the log.
    private func pauseAfter(_ failure: UDPSocket.Failure) {
        logger.error("reading the syslog UDP socket failed; retrying in 100 ms", metadata: ["error": "\(failure)"])
        usleep(100_000)
    }

    /// Splits datagram `index` into messages and copies them into `burst`.
    private func add(_ batch: DatagramBatch, _ index: Int, to burst: inout SyslogMessageBurst, receivedAt: Int64, sender: String) {
        let datagram = batch.bytes(index)
        burst.received(datagram.count)
        let cut = batch.isTruncated(index)
        if cut { truncated.increment() }
        let before = burst.count
        SyslogParser.forEachMessage(in: datagram) { range in
            burst.append(UnsafeBufferPointer(rebasing: datagram[range]), receivedAt: receivedAt, sender: sender, truncated: cut)
        }
        if burst.count == before {
            // An empty datagram still arrived; keep it visible rather than losing it silently.
            burst.append(datagram, receivedAt: receivedAt, sender: sender, truncated: cut)
        }
    }

    /// Queues `burst` for parsing; when the queue is full, waits until it has room (or `stop`).
    private func handOver(_ burst: inout SyslogMessageBurst) {
        guard burst.count > 0 else { return }
        let accepted = parsing.submit(&burst)
        if !accepted { resumed.wait() }
    }
}
