import Foundation
import Logging
import Metrics
import Synchronization
import VigilCore
import VigilIngest
import VigilNATS
import VigilStore

/// Fleet mode's central side (`[inputs.nats]`): takes the blocks edge vigild forwarded from a
/// JetStream stream through a durable pull consumer and appends their records to the local store,
/// exactly once per edge sequence.
///
/// One task runs the loop: take what is waiting (a no-wait pull of up to `batch`), or else wait for
/// the next message with a long pull that the server answers as soon as one arrives; drop messages
/// whose edge sequence is already committed; append the rest in one commit (records keep their
/// host, and get `_edge_seq`); save the per-edge sequences; then acknowledge. A crash before the
/// acknowledgements means a redelivery, which the saved sequences (or, after a crash before the
/// save, the `_edge_seq` of the committed records) turn into a no-op.
public final class NATSInput: Sendable {
    /// What `vigil fleet status` shows on the central vigild.
    public struct Status: Sendable, Codable, Equatable {
        public struct Edge: Sendable, Codable, Equatable {
            public var edgeID: String
            public var host: String
            public var sequence: UInt64
            public var lastCommitted: Int64
            public var lastRecordTime: Int64
            public var lagSeconds: Double

            enum CodingKeys: String, CodingKey {
                case edgeID = "edge_id", host, sequence, lastCommitted = "last_committed", lastRecordTime = "last_record_time"
                case lagSeconds = "lag_seconds"
            }
        }
        public var connected: Bool
        /// Messages waiting in the stream for this consumer, as of the last delivery.
        public var pending: UInt64
        public var edges: [Edge]
        public var lastError: String?

        enum CodingKeys: String, CodingKey { case connected, pending, edges, lastError = "last_error" }
    }

    private let configuration: NATSInputConfiguration
    private let pipeline: IngestPipeline
    private let directory: String
    private let client: NATSClient
    private let jetStream: JetStream
    private let logger: Logger
    private let metrics: FleetMetrics.Input
    private let state: Mutex<NATSInputState>
    private let live = Mutex<(connected: Bool, pending: UInt64, lastError: String?)>((false, 0, nil))
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// Decoding blocks and saving the state (fsync) run here, off the cooperative pool.
    private let queue = DispatchQueue(label: "vigil-nats-input")

    /// An input into `pipeline` keeping its state in `dataDirectory`. Reads the saved state and
    /// brings it up to date from the store's newest segments; throws when they cannot be read.
    public init(
        configuration: NATSInputConfiguration, pipeline: IngestPipeline, dataDirectory: String, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        self.configuration = configuration
        self.pipeline = pipeline
        directory = dataDirectory
        client = NATSClient(
            options: try NATSOptions(settings: configuration.connection, table: "inputs.nats", name: "vigild central \(LocalHostName.current())"))
        jetStream = JetStream(client: client, timeout: .nanoseconds(configuration.connection.timeout))
        self.logger = logger
        metrics = FleetMetrics.Input(factory: metricsFactory)
        var saved = try NATSInputState.load(directory: dataDirectory)
        let moved = try saved.catchUp(withStore: dataDirectory)
        if moved > 0 {
            logger.info("found records committed after the NATS input's state was saved", metadata: ["edges": "\(moved)"])
            try saved.save(directory: dataDirectory)
        }
        state = Mutex(saved)
    }

    /// The input's state now.
    public var status: Status {
        let edges = state.withLock { state in
            state.edges.map { id, edge in
                Status.Edge(
                    edgeID: id, host: edge.host, sequence: edge.sequence, lastCommitted: edge.lastCommitted,
                    lastRecordTime: edge.lastRecordTime, lagSeconds: Double(edge.lag) / 1e9)
            }.sorted { ($0.host, $0.edgeID) < ($1.host, $1.edgeID) }
        }
        let live = self.live.withLock { $0 }
        return Status(connected: live.connected, pending: live.pending, edges: edges, lastError: live.lastError)
    }

    public func start() {
        let loop = Task { await run() }
        task.withLock { $0 = loop }
        logger.info(
            "consuming forwarded records from NATS",
            metadata: ["stream": "\(configuration.stream)", "durable": "\(configuration.durable)", "edges known": "\(status.edges.count)"])
    }

    /// Stops after the commit in progress (whose messages are acknowledged or redelivered later).
    public func stop() async {
        let loop = task.withLock { $0 }
        await FleetLoop.stop(loop, client: client)
    }

    private func run() async {
        var ready = false
        var failures = LoopFailures()
        while !Task.isCancelled {
            do {
                let connection = try await client.connection()
                if !ready {
                    try await jetStream.ensureStream(JetStreamStreamConfig(name: configuration.stream, subjects: configuration.subjects))
                    var consumer = JetStreamConsumerConfig(durableName: configuration.durable)
                    consumer.ackWait = configuration.ackWait
                    consumer.maxAckPending = configuration.maxAckPending
                    try await jetStream.ensureConsumer(stream: configuration.stream, consumer)
                    ready = true
                }
                var group = try await take(batch: configuration.batch, wait: false, on: connection)
                if group.isEmpty {
                    group = try await take(batch: 1, wait: true, on: connection)
                    if group.isEmpty { continue }
                    if configuration.batch > 1 { group += try await take(batch: configuration.batch - 1, wait: false, on: connection) }
                }
                try await commit(group, on: connection)
                live.withLock {
                    $0.connected = true
                    $0.lastError = nil
                    $0.pending = group.last?.pending ?? 0
                }
                metrics.connected.record(1)
                metrics.pending.record(Int(group.last?.pending ?? 0))
                failures.succeeded()
            } catch {
                if Task.isCancelled { break }
                let (text, isNew) = failures.record(error)
                live.withLock { live in
                    live.lastError = text
                    live.connected = client.isConnected
                }
                metrics.connected.record(client.isConnected ? 1 : 0)
                if isNew {
                    logger.warning("consuming from NATS failed; unacknowledged messages are delivered again", metadata: ["error": "\(text)"])
                }
                if case NATSError.jetStream = error { ready = false }
                await failures.pause()
            }
        }
    }

    /// Pulls up to `batch` messages: those waiting now, or (`wait`) the next one, however long it
    /// takes to come (the server answers a long pull as soon as it has a message).
    private func take(batch: Int, wait: Bool, on connection: NATSConnection) async throws -> [JetStreamMessage] {
        var messages: [JetStreamMessage] = []
        for try await message in jetStream.fetch(
            stream: configuration.stream, consumer: configuration.durable, batch: batch, expires: .seconds(30), noWait: !wait,
            on: connection)
        {
            messages.append(message)
        }
        return messages
    }

    /// Appends the new records of `group` in one commit, saves the sequences, acknowledges.
    private func commit(_ group: [JetStreamMessage], on connection: NATSConnection) async throws {
        var next = state.withLock { $0 }
        var records: [LogRecord] = []
        var sizes: [Int] = []
        let now = WallClock.now()
        for message in group {
            let headers = message.message.headers
            guard let edgeID = headers?[ForwardedMessage.Header.edgeID], let sequenceText = headers?[ForwardedMessage.Header.sequence],
                let sequence = UInt64(sequenceText), headers?[ForwardedMessage.Header.encoding] == ForwardedMessage.encoding
            else {
                metrics.rejected.increment()
                logger.error(
                    "dropped a NATS message that is not a forwarded block of a known encoding",
                    metadata: ["subject": "\(message.message.subject)", "encoding": "\(headers?[ForwardedMessage.Header.encoding] ?? "none")"])
                continue
            }
            let host = headers?[ForwardedMessage.Header.edge] ?? ""
            var edge = next.edges[edgeID] ?? .init(host: host, sequence: 0, lastCommitted: 0, lastRecordTime: 0, lag: 0)
            if sequence <= edge.sequence {
                metrics.duplicates.increment()
                continue
            }
            if sequence > edge.sequence + 1 {
                metrics.gaps.increment(by: Int(sequence - edge.sequence - 1))
                logger.warning(
                    "messages of an edge are missing (the stream discarded them, or the edge's data was wiped)",
                    metadata: ["edge": "\(host)", "after": "\(edge.sequence)", "got": "\(sequence)"])
            }
            let decoded: (records: [LogRecord], sourceSizes: [Int])
            do {
                let payload = message.message.payload
                decoded = try await queue.run { () throws(StoreError) in try BlockTransfer.records(in: payload) }
            } catch {
                metrics.rejected.increment()
                logger.error("dropped a forwarded block that does not decode", metadata: ["edge": "\(host)", "sequence": "\(sequence)", "error": "\(error)"])
                edge.sequence = sequence
                next.edges[edgeID] = edge
                continue
            }
            let mark = "\(edgeID):\(sequence)"
            for var record in decoded.records {
                record.fields[ForwardedMessage.sequenceField] = mark
                edge.lastRecordTime = max(edge.lastRecordTime, record.time)
                records.append(record)
            }
            sizes += decoded.sourceSizes
            edge.host = host
            edge.sequence = sequence
            edge.lastCommitted = now
            edge.lag = max(0, now - message.timestamp)
            next.edges[edgeID] = edge
        }
        if !records.isEmpty {
            try await pipeline.submit(records, sourceSizes: sizes, from: .nats)
        }
        let directory = directory
        let unsaved = next
        next = try await queue.run { () throws -> NATSInputState in
            var saved = unsaved
            try saved.save(directory: directory)
            return saved
        }
        state.withLock { $0 = next }
        metrics.messages.increment(by: group.count)
        for message in group { try await jetStream.ack(message, on: connection) }
    }
}
