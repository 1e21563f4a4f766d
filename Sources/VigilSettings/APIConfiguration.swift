import Foundation
import VigilCore
import VigilIngest

/// `[api]`: vigild's management API (incidents, the Events API), on a listener of its own.
///
///     [api]
///     enabled = true
///     listen = "127.0.0.1:8081"
///     anonymous_reads = false       # GET without a token, from loopback clients only
///     console = true                # the web console under /ui/
///     external_url = "https://vigil.example.com:8081"   # links in notifications; default http://HOSTNAME:PORT
///     tokens = ["s3cret"]           # named token-1, token-2… in the timeline
///     [[api.tokens]]                # or named tokens (the name shows as who acted)
///     name = "ops"
///     token = "…"                   # or token_file = "/etc/vigil/ops.token"
///
/// Every write needs a token. A token file holds the token on its first line.
public struct APIConfiguration: Sendable, Equatable {
    /// One bearer token and the name the timeline shows for what it does.
    public struct Token: Sendable, Equatable, CustomStringConvertible {
        /// Who acts with it.
        public var name: String
        /// The secret.
        public var secret: String

        /// Creates a token.
        public init(name: String, secret: String) {
            self.name = name
            self.secret = secret
        }

        /// The name only: secrets are never printed.
        public var description: String { name }

        /// The token a token file holds: its first line, trimmed (empty when the file is); `nil`
        /// when it cannot be read. vigild's `token_file` and `vigil --token-file` read the same way.
        public static func read(file: String) -> String? {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
            return String(text.split(whereSeparator: \.isNewline).first ?? "").trimmingCharacters(in: .whitespaces)
        }
    }

    /// Whether vigild serves the API.
    public var enabled = true
    /// Where it listens; default `127.0.0.1:8081`.
    public var listen = ListenAddress(host: "127.0.0.1", port: 8081)
    /// Whether loopback clients may read without a token.
    public var anonymousReads = false
    /// Whether the web console is served under `/ui/`.
    public var console = true
    /// The accepted tokens.
    public var tokens: [Token] = []
    /// The largest request body, bytes; default 1 MiB.
    public var maxBodyBytes: Int64 = 1 << 20
    /// Timeouts and the connection cap, as for the logs listener.
    public var connections = HTTPConnectionLimits()
    /// The API's address as receivers of notifications should use it in links; `nil`: this
    /// host's name and the listen port.
    public var externalURL: String?

    /// `external_url`, or `http://HOSTNAME:PORT`.
    public func linkBase(hostname: String) -> String {
        externalURL ?? "http://\(hostname):\(listen.port)"
    }

    /// The defaults: no tokens, so only anonymous reads (if allowed) get through.
    public init() {}

    /// Reads `[api]`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        listen = try table.listenAddress("listen") ?? listen
        anonymousReads = try table.bool("anonymous_reads") ?? anonymousReads
        console = try table.bool("console") ?? console
        maxBodyBytes = try table.byteSize("max_body_bytes", atLeast: 1024) ?? maxBodyBytes
        connections = try HTTPConnectionLimits(table: table)
        if let url = try table.string("external_url") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw table.invalid("external_url", "expected an http:// or https:// URL, got \"\(url)\"")
            }
            externalURL = url
        }
        if let value = table.value("tokens") {
            if case .tableArray = value.kind {
                for entry in try table.tableArray("tokens") { tokens.append(try Self.namedToken(entry)) }
            } else if case .array(let elements) = value.kind, elements.contains(where: { if case .table = $0.kind { true } else { false } }) {
                for entry in try table.tableArray("tokens") { tokens.append(try Self.namedToken(entry)) }
            } else {
                for (index, secret) in (try table.stringArray("tokens") ?? []).enumerated() {
                    guard !secret.isEmpty else { throw table.invalid("tokens", "a token may not be empty") }
                    tokens.append(Token(name: "token-\(index + 1)", secret: secret))
                }
            }
        }
        var names = Set<String>()
        for token in tokens where !names.insert(token.name).inserted {
            throw table.invalid("tokens", "two tokens are named \"\(token.name)\"")
        }
    }

    private static func namedToken(_ entry: ConfigTable) throws(ConfigError) -> Token {
        let name = try entry.required("name", try entry.string("name"))
        guard !name.isEmpty else { throw entry.invalid("name", "a token's name may not be empty") }
        let secret: String
        switch (try entry.string("token"), try entry.string("token_file")) {
        case (let token?, nil):
            secret = token
        case (nil, let file?):
            guard let token = Token.read(file: file) else { throw entry.invalid("token_file", "cannot read \(file)") }
            secret = token
        case (nil, nil):
            throw entry.invalid("name", "token \"\(name)\" needs token or token_file")
        case (.some, .some):
            throw entry.invalid("token_file", "give token or token_file, not both")
        }
        guard !secret.isEmpty else { throw entry.invalid("token", "token \"\(name)\" is empty") }
        return Token(name: name, secret: secret)
    }
}
