/// The server's `INFO`: what it is and what it accepts.
public struct NATSServerInfo: Sendable, Decodable, Equatable {
    public var serverID: String
    public var version: String
    /// The largest message (headers and payload) the server takes.
    public var maxPayload: Int
    /// Whether the server takes `HPUB` (NATS 2.2 and later).
    public var headers: Bool
    /// Whether it asks for credentials.
    public var authRequired: Bool
    /// Whether it takes only TLS connections (the client upgrades after this INFO).
    public var tlsRequired: Bool
    /// The nonce to sign for NKey authentication.
    public var nonce: String?
    /// Other servers of the cluster, `host:port`.
    public var connectURLs: [String]

    enum CodingKeys: String, CodingKey {
        case serverID = "server_id", version, maxPayload = "max_payload", headers, authRequired = "auth_required", tlsRequired = "tls_required", nonce
        case connectURLs = "connect_urls"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        serverID = try container.decodeIfPresent(String.self, forKey: .serverID) ?? ""
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? ""
        maxPayload = try container.decodeIfPresent(Int.self, forKey: .maxPayload) ?? 1 << 20
        headers = try container.decodeIfPresent(Bool.self, forKey: .headers) ?? false
        authRequired = try container.decodeIfPresent(Bool.self, forKey: .authRequired) ?? false
        tlsRequired = try container.decodeIfPresent(Bool.self, forKey: .tlsRequired) ?? false
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
        connectURLs = try container.decodeIfPresent([String].self, forKey: .connectURLs) ?? []
    }
}
