/// JetStream's answer to a publish: the message is stored in `stream` at `sequence`.
public struct JetStreamPubAck: Sendable, Decodable, Equatable {
    public var stream: String
    public var sequence: UInt64
    /// True when the server had the message id already (within the stream's duplicate window) and
    /// kept the first copy.
    public var duplicate: Bool

    enum CodingKeys: String, CodingKey { case stream, sequence = "seq", duplicate }

    public init(stream: String, sequence: UInt64, duplicate: Bool) {
        self.stream = stream
        self.sequence = sequence
        self.duplicate = duplicate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stream = try container.decode(String.self, forKey: .stream)
        sequence = try container.decode(UInt64.self, forKey: .sequence)
        duplicate = try container.decodeIfPresent(Bool.self, forKey: .duplicate) ?? false
    }
}

/// A stream's settings (the subset this client sets; the server fills in the rest).
public struct JetStreamStreamConfig: Sendable, Codable, Equatable {
    public var name: String
    public var subjects: [String]
    /// The most bytes kept; -1 for no limit. Old messages are discarded first.
    public var maxBytes: Int64 = -1
    /// The oldest message kept, ns; 0 for no limit.
    public var maxAge: Int64 = 0
    /// How long message ids are remembered for de-duplication, ns.
    public var duplicateWindow: Int64 = 120_000_000_000
    public var storage = "file"
    public var retention = "limits"
    public var discard = "old"
    public var numReplicas = 1

    enum CodingKeys: String, CodingKey {
        case name, subjects, maxBytes = "max_bytes", maxAge = "max_age", duplicateWindow = "duplicate_window", storage, retention
        case discard, numReplicas = "num_replicas"
    }

    public init(name: String, subjects: [String]) {
        self.name = name
        self.subjects = subjects
    }
}

/// A durable pull consumer's settings.
public struct JetStreamConsumerConfig: Sendable, Codable, Equatable {
    public var durableName: String
    public var ackPolicy = "explicit"
    public var deliverPolicy = "all"
    /// How long the server waits for an ack before it delivers the message again, ns.
    public var ackWait: Int64 = 30_000_000_000
    /// Messages delivered and not yet acknowledged at most.
    public var maxAckPending = 1000
    public var filterSubject: String?

    enum CodingKeys: String, CodingKey {
        case durableName = "durable_name", ackPolicy = "ack_policy", deliverPolicy = "deliver_policy", ackWait = "ack_wait"
        case maxAckPending = "max_ack_pending", filterSubject = "filter_subject"
    }

    public init(durableName: String) { self.durableName = durableName }
}

/// A message delivered by a pull consumer, with what its ack subject says about it.
public struct JetStreamMessage: Sendable {
    public var message: NATSMessage
    /// How often it has been delivered (1 the first time).
    public var deliveries: Int
    /// Its sequence in the stream.
    public var streamSequence: UInt64
    /// When it was stored, ns since the epoch.
    public var timestamp: Int64
    /// Messages still waiting for the consumer after this one.
    public var pending: UInt64

    /// Parses the metadata of `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>`
    /// (and the longer form with a domain and account hash).
    init?(_ message: NATSMessage) {
        guard let reply = message.replyTo, reply.hasPrefix("$JS.ACK.") else { return nil }
        let tokens = reply.split(separator: ".")
        guard tokens.count >= 9 else { return nil }
        let tail = tokens.suffix(5)  // delivered, sseq, cseq, ts, pending (v2 adds a token after pending)
        let values = tokens.count == 9 ? Array(tail) : Array(tokens[tokens.count - 6..<tokens.count - 1])
        guard let deliveries = Int(values[0]), let sequence = UInt64(values[1]), let time = Int64(values[3]),
            let pending = UInt64(values[4])
        else { return nil }
        self.message = message
        self.deliveries = deliveries
        streamSequence = sequence
        timestamp = time
        self.pending = pending
    }
}

/// JetStream's error body: `{"error": {"code": 404, "err_code": 10059, "description": "stream not found"}}`.
struct JetStreamErrorBody: Decodable {
    struct Detail: Decodable {
        var code: Int
        var errCode: Int?
        var description: String?
        enum CodingKeys: String, CodingKey { case code, errCode = "err_code", description }
    }
    var error: Detail?
}
