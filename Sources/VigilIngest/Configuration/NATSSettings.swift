import Foundation
import VigilCore

/// The connection keys `[outputs.nats]` and `[inputs.nats]` share: where the servers are and how
/// to log in.
///
///     url = "nats://127.0.0.1:4222"      # or urls = ["nats://a:4222", "nats://b:4222"]
///     user = "edge"                      # and password = "…" or password_file = "/etc/vigil/nats.pass"
///     token = "…"                        # or token_file = "…" (instead of user and password)
///     nkey_seed_file = "/etc/vigil/nats.nk"   # an NKey user's seed (SU…), instead of the above
///     credentials = "/etc/vigil/edge.creds"   # or a .creds file (user JWT and seed) from nsc
///     timeout = "5s"                     # connect, publish acknowledgement and API requests
///     tls_ca_file = "/etc/vigil/nats-ca.pem"   # trust these roots (default: the system's)
///     tls_cert_file = ""                 # with tls_key_file: a client certificate (mutual TLS)
///
/// Credentials may also be given in the URL (`nats://user:password@host`). TLS is used when the
/// server requires it, for `tls://` URLs, and whenever a `tls_*` key is set. The seed, the creds
/// file and the TLS files are read when vigild starts (their contents are checked there).
public struct NATSSettings: Sendable, Equatable {
    /// The server URLs, tried in order.
    public var urls: [String] = ["nats://127.0.0.1:4222"]
    public var user: String?
    public var password: String?
    public var token: String?
    /// A file holding an NKey user seed.
    public var nkeySeedFile: String?
    /// A `.creds` file.
    public var credentialsFile: String?
    /// PEM files: roots to trust, and a client certificate with its key.
    public var tlsCAFile: String?
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?

    /// Whether TLS was asked for by a key (a `tls://` URL or the server may ask too).
    public var tls: Bool { tlsCAFile != nil || tlsCertificateFile != nil }
    /// Connect, acknowledgement and API request timeout, ns.
    public var timeout: Int64 = 5_000_000_000

    public init() {}

    /// Reads the shared keys of `table`.
    public init(table: ConfigTable) throws(ConfigError) {
        switch (try table.string("url"), try table.stringArray("urls")) {
        case (let url?, nil): urls = [url]
        case (nil, let list?):
            guard !list.isEmpty else { throw table.invalid("urls", "give at least one server URL") }
            urls = list
        case (nil, nil): break
        case (.some, .some): throw table.invalid("urls", "give url or urls, not both")
        }
        for (index, url) in urls.enumerated() {
            let key = table.contains("urls") ? "urls" : "url"
            guard url.hasPrefix("nats://") || url.hasPrefix("tls://") else {
                throw table.invalid(key, "expected nats://host:port or tls://host:port, got \"\(url)\"" + (urls.count > 1 ? " (entry \(index + 1))" : ""))
            }
        }
        user = try table.string("user")
        password = try table.secret("password")
        token = try table.secret("token")
        if token != nil, user != nil { throw table.invalid("token", "give token or user and password, not both") }
        if (user == nil) != (password == nil) { throw table.invalid(user == nil ? "password" : "user", "user and password go together") }
        for key in ["nkey_seed_file", "credentials"] {
            guard let path = try table.string(key) else { continue }
            guard FileManager.default.isReadableFile(atPath: path) else { throw table.invalid(key, "cannot read \(path)") }
            if key == "credentials" { credentialsFile = path } else { nkeySeedFile = path }
        }
        for key in ["tls_ca_file", "tls_cert_file", "tls_key_file"] {
            guard let path = try table.string(key) else { continue }
            guard FileManager.default.isReadableFile(atPath: path) else { throw table.invalid(key, "cannot read \(path)") }
            switch key {
            case "tls_ca_file": tlsCAFile = path
            case "tls_cert_file": tlsCertificateFile = path
            default: tlsKeyFile = path
            }
        }
        if (tlsCertificateFile == nil) != (tlsKeyFile == nil) {
            throw table.invalid(tlsKeyFile == nil ? "tls_cert_file" : "tls_key_file", "tls_cert_file and tls_key_file go together")
        }
        let schemes = [user != nil, token != nil, nkeySeedFile != nil, credentialsFile != nil].filter { $0 }.count
        if schemes > 1 {
            throw table.invalid(
                credentialsFile != nil ? "credentials" : nkeySeedFile != nil ? "nkey_seed_file" : "token",
                "give one way to log in: user and password, token, nkey_seed_file or credentials")
        }
        timeout = try table.duration("timeout", atLeast: 100_000_000) ?? timeout
    }
}

/// `[inputs.nats]`: a central vigild's input, consuming what edge vigild forwarded to a JetStream
/// stream through a durable pull consumer.
///
///     [inputs.nats]
///     url = "nats://127.0.0.1:4222"
///     stream = "VIGIL_LOGS"       # made when missing, for subjects "vigil.logs.>"
///     durable = "vigil"           # the consumer's name; central vigild sharing it share the work
///     ack_wait = "30s"            # redelivered when not acknowledged within this time
///     max_ack_pending = 1024      # messages delivered and not yet acknowledged, at most
///     batch = 64                  # messages asked for per pull
public struct NATSInputConfiguration: Sendable, Equatable, ConfigDecodable {
    public var enabled = false
    public var connection = NATSSettings()
    public var stream = "VIGIL_LOGS"
    /// The subjects a stream made by this input takes.
    public var subjects = ["vigil.logs.>"]
    public var durable = "vigil"
    public var ackWait: Int64 = 30_000_000_000
    public var maxAckPending = 1024
    public var batch = 64

    public init() {}

    /// Reads the table; it is enabled unless it says `enabled = false`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? true
        connection = try NATSSettings(table: table)
        stream = try NATSNames.check(table, "stream") ?? stream
        subjects = try table.stringArray("subjects") ?? subjects
        durable = try NATSNames.check(table, "durable") ?? durable
        ackWait = try table.duration("ack_wait", atLeast: 1_000_000_000) ?? ackWait
        maxAckPending = try table.int("max_ack_pending", in: 1...1_000_000) ?? maxAckPending
        batch = try table.int("batch", in: 1...4096) ?? batch
    }
}

/// Stream and consumer names: JetStream refuses dots, spaces, `*`, `>` and path separators in them.
public enum NATSNames {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256
            && !name.contains(where: { ".*> \t\r\n/\\".contains($0) })
    }

    static func check(_ table: ConfigTable, _ key: String) throws(ConfigError) -> String? {
        guard let name = try table.string(key) else { return nil }
        guard isValid(name) else { throw table.invalid(key, "\"\(name)\" is not a JetStream name (no dots, spaces, *, > or slashes)") }
        return name
    }
}
