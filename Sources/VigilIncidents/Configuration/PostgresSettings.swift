import Foundation
import VigilCore

/// Where a shared incident store lives: `[incidents] backend = "postgres"` with
///
///     url = "postgres://vigil@db.example.com:5432/vigil?sslmode=require"
///     password_file = "/etc/vigil/postgres.pass"   # or password = "…", or in the URL
///     connections = 4                              # the pool's size
///     connect_timeout = "10s"                      # start-up gives up after this
///
/// `sslmode` is `disable` (the default), `prefer`, `require` (encrypted, the server's
/// certificate not checked) or `verify-full` (checked against the system's roots and the host name).
public struct PostgresSettings: Sendable, Hashable {
    /// How the connection is encrypted.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// The server's host name or address.
    public var host = "127.0.0.1"
    /// Its port.
    public var port = 5432
    /// The role vigild logs in as.
    public var user = "vigil"
    /// Its password, if the server asks for one.
    public var password: String?
    /// The database (vigild's own: it refuses one holding another application's tables).
    public var database = "vigil"
    /// `sslmode`.
    public var tls = TLSMode.disable
    /// Connections in the pool at most.
    public var connections = 4
    /// How long start-up waits for the server, ns (`connect_timeout`; default 10 s).
    public var connectTimeout: Int64 = 10_000_000_000

    /// The defaults: `postgres://vigil@127.0.0.1:5432/vigil`.
    public init() {}

    /// The URL without its password, for logs and errors.
    public var displayURL: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(user)@\(host):\(port)/\(database)" + (tls == .disable ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// Reads `url`, `password`/`password_file`, `connections` and `connect_timeout` from `[incidents]`.
    public init(table: ConfigTable) throws(ConfigError) {
        let text = try table.required("url", table.string("url"))
        guard let parts = URLComponents(string: text), let scheme = parts.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw table.invalid("url", "\"\(text)\" is not a postgres:// URL")
        }
        if let host = parts.host, !host.isEmpty { self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host }
        if let port = parts.port {
            guard (1...65535).contains(port) else { throw table.invalid("url", "port \(port) is out of range") }
            self.port = port
        }
        if let user = parts.percentEncodedUser, !user.isEmpty { self.user = user.removingPercentEncoding ?? user }
        let path = parts.percentEncodedPath
        let database = path.hasPrefix("/") ? String(path.dropFirst()) : path
        if !database.isEmpty { self.database = database.removingPercentEncoding ?? database }
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: item.value ?? "") else {
                    throw table.invalid(
                        "url", "sslmode \"\(item.value ?? "")\" is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            default:
                throw table.invalid("url", "unknown parameter \"\(item.name)\" (vigild understands sslmode)")
            }
        }
        let given = try table.secret("password")
        if let inURL = parts.percentEncodedPassword, !inURL.isEmpty {
            if given != nil { throw table.invalid("password", "the URL has a password already; give it once") }
            password = inURL.removingPercentEncoding ?? inURL
        } else {
            password = given
        }
        connections = try table.int("connections", in: 1...100) ?? connections
        connectTimeout = try table.duration("connect_timeout", atLeast: 100_000_000) ?? connectTimeout
    }
}
