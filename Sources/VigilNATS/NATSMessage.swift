/// A message received from a NATS server.
public struct NATSMessage: Sendable {
    /// The subject it was published to.
    public var subject: String
    /// Where an answer (or, for JetStream, an acknowledgement) goes.
    public var replyTo: String?
    /// Its headers, when it was sent with some (`HMSG`).
    public var headers: NATSHeaders?
    /// Its payload.
    public var payload: [UInt8]

    public init(subject: String, replyTo: String? = nil, headers: NATSHeaders? = nil, payload: [UInt8]) {
        self.subject = subject
        self.replyTo = replyTo
        self.headers = headers
        self.payload = payload
    }

    /// The status code of a status message (`408` when a pull request expired, `404` when there were
    /// no messages, `503` for no responders), nil for a regular message.
    public var status: Int? { headers?.status }
}
