import NIOSSL

/// How a `NATSClient` connects.
public struct NATSOptions: Sendable {
    /// The servers, tried in order.
    public var servers: [NATSServerAddress]
    /// The client's name, shown by the server's monitoring (`connz`).
    public var name: String
    /// Credentials for servers whose URL carries none.
    public var user: String?
    public var password: String?
    public var token: String?
    /// An NKey to sign the server's nonce with (`nkey` + `sig` in CONNECT).
    public var nkey: NATSNKey?
    /// A user JWT and its NKey (a `.creds` file: `jwt` + `sig` in CONNECT).
    public var credentials: NATSCredentials?
    /// TLS settings (trusted roots, a client certificate for mutual TLS). TLS is used when the server
    /// requires it, when the URL is `tls://`, or when this is set; nil uses the system's roots.
    public var tls: TLSConfiguration?
    /// How long a TCP connect plus the INFO/CONNECT/PING handshake may take.
    public var connectTimeout: Duration = .seconds(5)
    /// The first wait before reconnecting after a failure; it doubles up to `maxReconnectWait`.
    public var reconnectWait: Duration = .milliseconds(100)
    public var maxReconnectWait: Duration = .seconds(5)

    public init(servers: [NATSServerAddress], name: String = "vigil") {
        self.servers = servers
        self.name = name
    }
}
