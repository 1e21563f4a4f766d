import Foundation
import Logging
import Metrics
import Synchronization
import VigilCore
import VigilIngest
import VigilNATS
import VigilSettings
import VigilStore

/// Fleet mode's edge side: sends every block of the local store to a JetStream stream, in store
/// order, and moves its cursor only after JetStream acknowledged them.
///
/// One task runs the loop. It reads the blocks after the cursor (`StoreBlockFeed`, on a dispatch
/// queue because it reads files), publishes up to `max_in_flight` of them at once, each with
/// `Nats-Msg-Id` = edge id and sequence, waits for every acknowledgement, then saves the cursor.
/// When a publish fails (NATS down, a partition) nothing is saved and the same window is sent again
/// once the client has reconnected: JetStream drops the copies it already has by their message id,
/// and the central vigild drops any it committed by their sequence. With nothing to send, the loop
/// sleeps on a doorbell that every store commit rings.
public final class NATSForwarder: Sendable {
    /// What `vigil fleet status` shows for this edge.
    public struct Status: Sendable, Codable, Equatable {
        public var edgeID: String
        public var host: String
        public var subject: String
        public var connected: Bool
        /// The next block to send.
        public var segment: UInt64
        public var block: Int
        /// The last sequence JetStream acknowledged.
        public var sequence: UInt64
        /// Blocks in the store after the cursor, as of the last look.
        public var pendingBlocks: Int
        /// When JetStream last acknowledged a message, ns; nil before the first.
        public var lastAcknowledged: Int64?
        public var lastError: String?

        enum CodingKeys: String, CodingKey {
            case edgeID = "edge_id", host, subject, connected, segment, block, sequence, pendingBlocks = "pending_blocks"
            case lastAcknowledged = "last_acknowledged", lastError = "last_error"
        }
    }

    private let configuration: NATSOutputConfiguration
    private let directory: String
    private let host: String
    private let client: NATSClient
    private let jetStream: JetStream
    private let doorbell = Doorbell()
    private let logger: Logger
    private let metrics: FleetMetrics.Forwarder
    private let state: Mutex<Status>
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let queue = DispatchQueue(label: "vigil-nats-forward")
    private let cursorSaved: @Sendable (UInt64) -> Void

    /// A forwarder of the store in `dataDirectory`. Reads (or makes) its cursor; throws when a
    /// saved cursor cannot be read or a URL is invalid. `cursorSaved` is called with the cursor's
    /// segment once read and after each save: every segment before it has been sent whole (the
    /// daemon lets the store compact those, `StoreWriter.holdCompaction(from:)`).
    public init(
        configuration: NATSOutputConfiguration, dataDirectory: String, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, cursorSaved: @escaping @Sendable (UInt64) -> Void = { _ in }
    ) throws {
        self.configuration = configuration
        directory = dataDirectory
        host = configuration.host ?? LocalHostName.current()
        client = NATSClient(options: try NATSOptions(settings: configuration.connection, table: "outputs.nats", name: "vigild edge \(host)"))
        jetStream = JetStream(client: client, timeout: .nanoseconds(configuration.connection.timeout))
        self.logger = logger
        metrics = FleetMetrics.Forwarder(factory: metricsFactory)
        let cursor: ForwarderCursor
        if let saved = try ForwarderCursor.load(directory: dataDirectory) {
            cursor = saved
        } else {
            let start = configuration.startAt == .newest ? try StoreBlockFeed(directory: dataDirectory).end() : .start
            cursor = ForwarderCursor(edgeID: ForwarderCursor.newEdgeID(), segment: start.segment, block: start.block, sequence: 0)
            try cursor.save(directory: dataDirectory)
        }
        self.cursorSaved = cursorSaved
        cursorSaved(cursor.segment)
        state = Mutex(
            Status(
                edgeID: cursor.edgeID, host: host, subject: configuration.subject(forHost: host), connected: false,
                segment: cursor.segment, block: cursor.block, sequence: cursor.sequence, pendingBlocks: 0, lastAcknowledged: nil,
                lastError: nil))
    }

    /// The forwarder's state now.
    public var status: Status { state.withLock { $0 } }

    /// Starts the loop.
    public func start() {
        let loop = Task { await run() }
        task.withLock { $0 = loop }
        logger.info(
            "forwarding the store to NATS",
            metadata: [
                "servers": "\(client.options.servers.map(\.description).joined(separator: ","))", "subject": "\(status.subject)",
                "stream": "\(configuration.stream)", "from": "\(BlockPosition(segment: status.segment, block: status.block))",
            ])
    }

    /// Wakes the loop: the store committed records.
    public func storeCommitted() { doorbell.ring() }

    /// Stops after the window in flight (its cursor is saved when it was acknowledged).
    public func stop() async {
        let loop = task.withLock { $0 }
        loop?.cancel()
        doorbell.ring()
        await FleetLoop.stop(loop, client: client)
    }

    private func run() async {
        let feed = StoreBlockFeed(directory: directory)
        var cursor = ForwarderCursor(edgeID: status.edgeID, segment: status.segment, block: status.block, sequence: status.sequence)
        var streamReady = false
        var failures = LoopFailures()
        while !Task.isCancelled {
            do {
                let connection = try await client.connection()
                if !streamReady {
                    var stream = JetStreamStreamConfig(name: configuration.stream, subjects: configuration.streamSubjects)
                    stream.maxBytes = configuration.maxBytes
                    stream.maxAge = configuration.maxAge
                    stream.duplicateWindow = configuration.duplicateWindow
                    if try await jetStream.ensureStream(stream) {
                        logger.info("made the JetStream stream", metadata: ["stream": "\(configuration.stream)", "subjects": "\(stream.subjects)"])
                    }
                    streamReady = true
                }
                let position = cursor.position
                let maxBlocks = configuration.maxInFlight
                let batch = try await queue.run { () throws(StoreError) in
                    try feed.read(from: position, maxBlocks: maxBlocks, maxBytes: 64 << 20)
                }
                let pending = await queue.run { feed.pendingBlocks(after: batch.next) }
                report(batch)
                if batch.blocks.isEmpty {
                    if batch.next != cursor.position {
                        cursor.position = batch.next
                        try await save(cursor)
                    }
                    update(cursor, pending: pending, connected: true, acknowledged: false)
                    failures.succeeded()
                    await doorbell.wait(until: nil)
                    continue
                }
                let sent = try await publish(batch.blocks, after: cursor.sequence, on: connection)
                cursor.position = batch.next
                cursor.sequence += UInt64(sent)
                try await save(cursor)
                update(cursor, pending: pending, connected: true, acknowledged: true)
                failures.succeeded()
            } catch {
                if Task.isCancelled { break }
                let (text, isNew) = failures.record(error)
                state.withLock { state in
                    state.lastError = text
                    state.connected = client.isConnected
                }
                metrics.failures.increment()
                if isNew {
                    logger.warning("forwarding to NATS failed; the same blocks are sent again when it is back", metadata: ["error": "\(text)"])
                }
                if case NATSError.jetStream = error { streamReady = false }
                await failures.pause()
            }
        }
    }

    /// Saves the cursor (write, fsync, rename) on the forwarder's queue, off the cooperative pool.
    private func save(_ cursor: ForwarderCursor) async throws {
        let directory = directory
        try await queue.run { () throws -> Void in try cursor.save(directory: directory) }
        cursorSaved(cursor.segment)
    }

    /// Publishes the blocks (split when one is larger than a message may be) as sequence
    /// `after + 1`…, all in flight at once but sent in order, and returns how many messages were
    /// acknowledged.
    private func publish(_ blocks: [StoreBlockFeed.Block], after sequence: UInt64, on connection: NATSConnection) async throws -> Int {
        let limit = min(configuration.maxMessageBytes, connection.info.maxPayload - 512)
        var messages: [(sequence: UInt64, bytes: [UInt8], records: Int)] = []
        var next = sequence
        for block in blocks {
            for piece in try BlockTransfer.split(block.bytes, toAtMost: limit) {
                next += 1
                let records = piece.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian) }
                messages.append((next, piece, records))
            }
        }
        let subject = configuration.subject(forHost: host)
        let edgeID = status.edgeID
        let host = self.host
        // One write, in sequence order: concurrent publishes could reach the stream out of order,
        // and the central vigild takes a sequence at or below the last one as a duplicate.
        let requests = messages.map { message in
            NATSConnection.Request(
                subject: subject, payload: message.bytes,
                headers: ForwardedMessage.headers(edgeID: edgeID, host: host, sequence: message.sequence, records: message.records))
        }
        let duplicates = try await jetStream.publishAll(requests, on: connection).filter(\.duplicate).count
        metrics.messages.increment(by: messages.count)
        metrics.records.increment(by: messages.reduce(0) { $0 + $1.records })
        metrics.bytes.increment(by: messages.reduce(0) { $0 + $1.bytes.count })
        if duplicates > 0 { metrics.duplicates.increment(by: duplicates) }
        return messages.count
    }

    private func report(_ batch: StoreBlockFeed.Batch) {
        for segment in batch.missedSegments {
            metrics.missedSegments.increment()
            logger.error(
                "a segment was deleted by retention before it was forwarded; its records did not reach NATS",
                metadata: ["segment": "\(segment)"])
        }
        for (position, reason) in batch.corrupt {
            metrics.corruptBlocks.increment()
            logger.error("skipped a corrupt block instead of forwarding it", metadata: ["position": "\(position)", "reason": "\(reason)"])
        }
    }

    private func update(_ cursor: ForwarderCursor, pending: Int, connected: Bool, acknowledged: Bool) {
        metrics.pendingBlocks.record(pending)
        metrics.connected.record(connected ? 1 : 0)
        state.withLock { state in
            state.segment = cursor.segment
            state.block = cursor.block
            state.sequence = cursor.sequence
            state.pendingBlocks = pending
            state.connected = connected
            if acknowledged { state.lastAcknowledged = WallClock.now() }
            state.lastError = nil
        }
    }
}
