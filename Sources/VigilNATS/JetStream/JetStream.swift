import Foundation
import Synchronization

/// JetStream over a `NATSClient`: publishing with acknowledgements, making sure a stream and a
/// durable pull consumer exist, pulling and acknowledging messages. Everything goes through the
/// `$JS.API.…` request subjects, as in NATS's own clients.
public struct JetStream: Sendable {
    public let client: NATSClient
    /// How long an API request or a publish acknowledgement may take.
    public var timeout: Duration

    /// JetStream's error codes this client reacts to.
    public enum ErrorCode {
        public static let streamNotFound = 10059
        public static let consumerNotFound = 10014
    }

    public init(client: NATSClient, timeout: Duration = .seconds(5)) {
        self.client = client
        self.timeout = timeout
    }

    /// Publishes and waits for the stream's acknowledgement. With a `Nats-Msg-Id` header, a second
    /// publish of the same id within the stream's duplicate window is acknowledged as `duplicate`
    /// and not stored again.
    public func publish(_ subject: String, payload: [UInt8], headers: NATSHeaders? = nil) async throws(NATSError) -> JetStreamPubAck {
        let answer = try await client.request(subject, payload: payload, headers: headers, timeout: timeout)
        return try Self.decode(JetStreamPubAck.self, answer.payload, operation: "publish to \(subject)")
    }

    /// Publishes on `connection` (so several publishes can share one, in flight together).
    public func publish(
        _ subject: String, payload: [UInt8], headers: NATSHeaders? = nil, on connection: NATSConnection
    ) async throws(NATSError) -> JetStreamPubAck {
        let answer = try await connection.request(subject, payload: payload, headers: headers, timeout: timeout)
        return try Self.decode(JetStreamPubAck.self, answer.payload, operation: "publish to \(subject)")
    }

    /// Publishes `messages` in one write, in their order (the stream stores them in that order),
    /// and returns their acknowledgements in the same order; throws if any failed.
    public func publishAll(_ messages: [NATSConnection.Request], on connection: NATSConnection) async throws(NATSError) -> [JetStreamPubAck] {
        var acks: [JetStreamPubAck] = []
        for (index, answer) in try await connection.requestAll(messages, timeout: timeout).enumerated() {
            acks.append(try Self.decode(JetStreamPubAck.self, answer.payload, operation: "publish to \(messages[index].subject)"))
        }
        return acks
    }

    /// Creates the stream unless it exists (an existing stream is left as it is).
    /// Returns whether it was created.
    @discardableResult
    public func ensureStream(_ config: JetStreamStreamConfig) async throws(NATSError) -> Bool {
        do {
            _ = try await api("STREAM.INFO.\(config.name)", body: [])
            return false
        } catch .jetStream(_, ErrorCode.streamNotFound, _) {
            let body = try Self.encode(config)
            _ = try await api("STREAM.CREATE.\(config.name)", body: body)
            return true
        }
    }

    /// Deletes a stream (tests and tools).
    public func deleteStream(_ name: String) async throws(NATSError) {
        _ = try await api("STREAM.DELETE.\(name)", body: [])
    }

    /// Creates the durable consumer unless it exists.
    public func ensureConsumer(stream: String, _ config: JetStreamConsumerConfig) async throws(NATSError) {
        do {
            _ = try await api("CONSUMER.INFO.\(stream).\(config.durableName)", body: [])
        } catch .jetStream(_, ErrorCode.consumerNotFound, _) {
            struct Request: Encodable {
                var streamName: String
                var config: JetStreamConsumerConfig
                enum CodingKeys: String, CodingKey { case streamName = "stream_name", config }
            }
            let body = try Self.encode(Request(streamName: stream, config: config))
            _ = try await api("CONSUMER.DURABLE.CREATE.\(stream).\(config.durableName)", body: body)
        }
    }

    /// Asks the durable pull consumer for up to `batch` messages, waiting up to `expires` for
    /// them. The stream yields each as it arrives and ends when `batch` were delivered or the
    /// request expired (the server's 408); with `noWait`, as soon as the waiting messages (up to
    /// `batch`) were delivered, at once when there are none.
    public func fetch(
        stream: String, consumer: String, batch: Int, expires: Duration, noWait: Bool = false, on connection: NATSConnection
    ) -> AsyncThrowingStream<JetStreamMessage, any Error> {
        let request =
            noWait
            ? "{\"batch\":\(batch),\"no_wait\":true}"
            : "{\"batch\":\(batch),\"expires\":\(Int64(expires / .nanoseconds(1)))}"
        let counter = DeliveryCounter(limit: batch)
        let raw = connection.requestMany(
            "$JS.API.CONSUMER.MSG.NEXT.\(stream).\(consumer)", payload: Array(request.utf8), timeout: expires + .seconds(2)
        ) { message in
            message.status != nil ? message.status != 100 : counter.countAndCheckLast()
        }
        let (output, continuation) = AsyncThrowingStream<JetStreamMessage, any Error>.makeStream()
        let task = Task {
            do {
                loop: for try await message in raw {
                    if let status = message.status {
                        switch status {
                        case 100: continue  // idle heartbeat
                        case 404, 408, 409: break loop  // no messages, expired, batch limit
                        default:
                            throw NATSError.jetStream(code: status, errorCode: 0, description: message.headers?.statusDescription ?? "")
                        }
                    }
                    if let delivered = JetStreamMessage(message) { continuation.yield(delivered) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return output
    }

    /// Acknowledges a pulled message (the consumer will not deliver it again).
    public func ack(_ message: JetStreamMessage, on connection: NATSConnection) async throws(NATSError) {
        guard let reply = message.message.replyTo else { return }
        try await connection.publish(reply, payload: Array("+ACK".utf8))
    }

    /// One `$JS.API.` request; a JetStream error body becomes `NATSError.jetStream`.
    public func api(_ operation: String, body: [UInt8]) async throws(NATSError) -> [UInt8] {
        let answer = try await client.request("$JS.API." + operation, payload: body, timeout: timeout)
        if let error = try? JSONDecoder().decode(JetStreamErrorBody.self, from: Data(answer.payload)), let detail = error.error {
            throw .jetStream(code: detail.code, errorCode: detail.errCode ?? 0, description: detail.description ?? "")
        }
        return answer.payload
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], operation: String) throws(NATSError) -> T {
        if let error = try? JSONDecoder().decode(JetStreamErrorBody.self, from: Data(bytes)), let detail = error.error {
            throw .jetStream(code: detail.code, errorCode: detail.errCode ?? 0, description: detail.description ?? "")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw .protocolViolation("\(operation): unexpected answer \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }

    static func encode<T: Encodable>(_ value: T) throws(NATSError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(value))
        } catch {
            throw .protocolViolation("cannot encode \(T.self): \(error)")
        }
    }
}

/// Counts the messages of one pull request to tell which is the last of its batch.
private final class DeliveryCounter: Sendable {
    private let remaining: Mutex<Int>
    init(limit: Int) { remaining = Mutex(limit) }
    func countAndCheckLast() -> Bool {
        remaining.withLock { remaining in
            remaining -= 1
            return remaining <= 0
        }
    }
}
