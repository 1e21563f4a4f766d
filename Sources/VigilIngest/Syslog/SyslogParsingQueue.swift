import Foundation
import Dispatch
import Synchronization
import VigilFormats
import VigilCore

/// Syslog messages copied out of one read burst's datagrams, as the UDP receiver hands them to its
/// parsing queue: the bytes of every message back to back, and where each one is.
struct SyslogMessageBurst: Sendable {
    struct Message: Sendable {
        var end: Int
        var receivedAt: Int64
        var sender: Int32
        var truncated: Bool
    }

    private(set) var bytes: [UInt8] = []
    private(set) var messages: [Message] = []
    /// Distinct sender addresses in the burst (most bursts come from one sender).
    private(set) var senders: [String] = []
    /// Datagram bytes received, as the senders sent them.
    private(set) var receivedBytes = 0

    var count: Int { messages.count }

    /// The bytes the burst has room for without growing.
    var capacity: Int { bytes.capacity }

    /// Empties the burst, keeping its room.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        messages.removeAll(keepingCapacity: true)
        senders.removeAll(keepingCapacity: true)
        receivedBytes = 0
    }

    mutating func received(_ count: Int) { receivedBytes += count }

    mutating func append(_ message: UnsafeBufferPointer<UInt8>, receivedAt: Int64, sender: String, truncated: Bool) {
        if senders.last != sender { senders.append(sender) }
        bytes.append(contentsOf: message)
        messages.append(Message(end: bytes.count, receivedAt: receivedAt, sender: Int32(senders.count - 1), truncated: truncated))
    }

    /// Calls `body` with each message, in order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, Message, String) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            for message in messages {
                body(UnsafeBufferPointer(rebasing: all[start..<message.end]), message, senders[Int(message.sender)])
                start = message.end
            }
        }
    }
}

/// Parses the UDP input's bursts on a queue of its own and offers the records to the pipeline, so
/// the receiving thread only reads and copies: parsing runs on the other core. rsyslog's imudp
/// splits its work the same way.
///
/// Flow control instead of drops: once `limit` messages wait here, `submit` tells the receiver to
/// stop reading the socket, and the datagrams wait in the kernel's receive buffer (much the larger
/// reserve) until the queue is down to half and `resume` is called. When the pipeline is full the
/// queue waits for room (reading stays paused meanwhile) for up to `pipelineWait`, then drops the
/// batch and counts it; the kernel counts what it drops when its buffer is full.
///
/// Parsed bursts come back emptied (`emptyBurst()`), so that the receiver fills the same memory
/// again: a flood's bursts, a few hundred KiB each, freed on this queue's thread and allocated
/// anew on the receiver's, made malloc hand pages back to the kernel and fault them in again,
/// burst after burst.
final class SyslogParsingQueue: Sendable {
    private let queue = DispatchQueue(label: "vigil.syslog.udp.parse")
    /// Submitted bursts, oldest first: each queued parse takes the oldest, so it owns the burst
    /// alone and can empty it for reuse.
    private let submitted = Mutex<[SyslogMessageBurst]>([])
    /// Parsed bursts, emptied, for the receiver to fill again.
    private let spent = Mutex<[SyslogMessageBurst]>([])
    /// Spent bursts kept at most, and the largest kept: a flood's bursts of 1,024 datagrams take
    /// about 200 KiB at ~200 bytes each, as syslog lines mostly are; bursts of datagrams three
    /// times that size are let go and allocated anew, as all bursts were before, rather than keep
    /// up to 4 × 16 MiB (1,024 datagrams of up to 16 KiB) after a flood of large ones.
    static let keptBursts = 4
    static let keptBurstBytes = 512 << 10
    private let batch: Mutex<SyslogBatch>
    private let pipeline: IngestPipeline
    private let waiting = Atomic<Int>(0)
    private let paused = Atomic<Bool>(false)
    private let limit: Int
    private let resume: @Sendable () -> Void
    /// How long a batch waits for room in a full pipeline before it is dropped.
    static let pipelineWait: Duration = .seconds(1)

    init(parser: SyslogParser, pipeline: IngestPipeline, limit: Int, resume: @escaping @Sendable () -> Void) {
        batch = Mutex(SyslogBatch(parser: parser, input: .syslogUDP, pipeline: pipeline))
        self.pipeline = pipeline
        self.limit = limit
        self.resume = resume
    }

    /// Queues `burst` for parsing, leaving an empty one to fill in its place (a parsed burst's
    /// memory when there is one). Returns `false` when the queue is full: the caller stops reading
    /// until `resume` is called. One caller at a time (the receiving thread): each queued parse
    /// takes the oldest submitted burst, which is its own only when submits do not interleave.
    func submit(_ burst: inout SyslogMessageBurst) -> Bool {
        let count = burst.count
        guard count > 0 else { return true }
        let queued = waiting.add(count, ordering: .sequentiallyConsistent).newValue
        do {
            // The queued copy is the burst's only reference once `full` is gone (end of scope).
            var full = emptyBurst()
            swap(&full, &burst)
            submitted.withLock { $0.append(full) }
        }
        queue.async { [self] in
            var burst = submitted.withLock { $0.removeFirst() }
            batch.withLock { batch in
                batch.received(burst.receivedBytes)
                burst.forEach { bytes, message, sender in
                    batch.add(bytes, receivedAt: message.receivedAt, sender: sender, truncated: message.truncated)
                }
                Self.flush(&batch, into: pipeline)
            }
            if burst.capacity <= Self.keptBurstBytes {
                burst.removeAll()
                spent.withLock { if $0.count < Self.keptBursts { $0.append(burst) } }
            }
            let left = waiting.subtract(count, ordering: .sequentiallyConsistent).newValue
            if left <= limit / 2, paused.exchange(false, ordering: .sequentiallyConsistent) { resume() }
        }
        guard queued >= limit else { return true }
        paused.store(true, ordering: .sequentiallyConsistent)
        // The queue may have drained meanwhile, without seeing the pause: then carry on reading.
        if waiting.load(ordering: .sequentiallyConsistent) <= limit / 2, paused.exchange(false, ordering: .sequentiallyConsistent) {
            return true
        }
        return false
    }

    /// An empty burst to fill: a parsed one's memory when there is one.
    func emptyBurst() -> SyslogMessageBurst {
        spent.withLock { $0.popLast() } ?? SyslogMessageBurst()
    }

    /// Offers the batch, waiting for room while the pipeline is full, up to `pipelineWait`: woken
    /// as soon as a commit gives room back, since the receiver stops reading while this queue waits;
    /// past the wait the batch is dropped and counted.
    private static func flush(_ batch: inout SyslogBatch, into pipeline: IngestPipeline) {
        if batch.flush(whenFull: .keep) { return }
        let offered = pipeline.retryWhenRoom(until: ContinuousClock.now + pipelineWait) { batch.flush(whenFull: .keep) }
        if !offered { batch.flush(whenFull: .drop) }
    }

    /// Returns once every burst queued so far has been offered to the pipeline.
    func drain() async {
        await queue.finishQueuedWork()
    }
}
