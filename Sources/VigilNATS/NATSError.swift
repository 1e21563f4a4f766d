/// What went wrong talking to a NATS server. Every case says what was being done, so a log line
/// alone tells an operator where to look.
public enum NATSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A URL that is not `nats://[user:password@|token@]host[:port]`.
    case invalidURL(String)
    /// No server of the list could be reached (the last error, from the last server tried).
    case connectionFailed(server: String, reason: String)
    /// The server answered `-ERR` (an authorization violation at connect, a permissions violation,
    /// a parse error); the connection is closed by the server after most of them.
    case server(String)
    /// The connection closed while an operation waited on it.
    case disconnected
    /// The server did not answer in time.
    case timeout(operation: String)
    /// A request whose subject nobody listens to (JetStream disabled, or no stream for the subject).
    case noResponders(subject: String)
    /// A message larger than the server's `max_payload`.
    case payloadTooLarge(size: Int, maximum: Int)
    /// Bytes from the server that are not the NATS protocol.
    case protocolViolation(String)
    /// JetStream answered with an API error (`code` is HTTP-like, `errorCode` JetStream's own).
    case jetStream(code: Int, errorCode: Int, description: String)
    /// The client was closed.
    case closed
    /// An NKey seed or a credentials file that cannot be used.
    case invalidCredentials(String)
    /// TLS could not be set up: the server requires it and the client has no settings, or the
    /// handshake failed (an untrusted certificate, a name that does not match).
    case tls(String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid NATS URL \"\(url)\" (expected nats://[user:password@]host[:port])"
        case .connectionFailed(let server, let reason): "cannot connect to NATS at \(server): \(reason)"
        case .server(let message): "NATS server error: \(message)"
        case .disconnected: "the connection to the NATS server closed"
        case .timeout(let operation): "the NATS server did not answer in time (\(operation))"
        case .noResponders(let subject): "no responders for \(subject) (is JetStream enabled, and is there a stream for the subject?)"
        case .payloadTooLarge(let size, let maximum): "message of \(size) bytes exceeds the server's max_payload of \(maximum) bytes"
        case .protocolViolation(let reason): "NATS protocol violation: \(reason)"
        case .jetStream(let code, let errorCode, let description): "JetStream error \(code)/\(errorCode): \(description)"
        case .closed: "the NATS client was closed"
        case .invalidCredentials(let reason): "invalid NATS credentials: \(reason)"
        case .tls(let reason): "NATS TLS: \(reason)"
        }
    }
}
