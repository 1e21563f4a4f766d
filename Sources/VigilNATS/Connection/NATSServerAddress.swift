/// One server of a client's list, from `nats://[user:password@|token@]host[:port]` (port 4222 by
/// default); `tls://` asks for TLS whatever the server says.
public struct NATSServerAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var token: String?
    /// Whether the URL was `tls://`.
    public var tls = false

    public init(host: String, port: Int = 4222, user: String? = nil, password: String? = nil, token: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.token = token
    }

    /// Parses a URL; a bare `host[:port]` is taken as `nats://`.
    public init(url: String) throws(NATSError) {
        var rest = Substring(url)
        var tls = false
        if let scheme = rest.range(of: "://") {
            switch rest[..<scheme.lowerBound] {
            case "nats": break
            case "tls": tls = true
            default: throw .invalidURL(url)
            }
            rest = rest[scheme.upperBound...]
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        var user: String?, password: String?, token: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon]).removingPercentEncodingIfPossible
                password = String(credentials[credentials.index(after: colon)...]).removingPercentEncodingIfPossible
            } else {
                token = String(credentials).removingPercentEncodingIfPossible
            }
        }
        var host = rest
        var port = 4222
        if rest.hasPrefix("[") {  // [IPv6]:port
            guard let close = rest.firstIndex(of: "]") else { throw .invalidURL(url) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()) else { throw .invalidURL(url) }
                port = value
            } else if !after.isEmpty {
                throw .invalidURL(url)
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let value = Int(rest[rest.index(after: colon)...]) else { throw .invalidURL(url) }
            port = value
        }
        guard !host.isEmpty, (1...65535).contains(port), !host.contains("/") else { throw .invalidURL(url) }
        self.init(host: String(host), port: port, user: user, password: password, token: token)
        self.tls = tls
    }

    /// `host:port`, without credentials (for logs).
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension String {
    /// The string with `%XX` escapes decoded, or itself when it has none or they are malformed.
    fileprivate var removingPercentEncodingIfPossible: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else if byte == UInt8(ascii: "%") {
                return self
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
