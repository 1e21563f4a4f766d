import Crypto
import Foundation

/// The console's logins: after a valid API token, a cookie `vigil_session` holding the token's
/// name and an expiry, signed with HMAC-SHA256 under a key made at start-up (so a restart logs
/// everyone out, and nothing secret is stored). State-changing forms carry a CSRF token derived
/// from the same cookie, which another site can neither read nor forge.
struct ConsoleSessions: Sendable {
    /// The cookie's name.
    static let cookieName = "vigil_session"
    /// How long a login lasts.
    static let lifetime: Int64 = 12 * 3600

    // Bytes, not a `SymmetricKey`: swift-crypto's key type is not `Sendable`.
    private let key: [UInt8]

    /// Sessions signed with a new random key (or `key`, for tests).
    init(key: [UInt8]? = nil) {
        self.key = key ?? SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// A logged-in user.
    struct Session: Sendable, Hashable {
        /// The API token's name: who acts.
        var actor: String
        /// The cookie's value.
        var cookie: String
        /// The token state-changing forms must send back.
        var csrf: String
    }

    /// The cookie value for `actor`, valid until `now + lifetime` (Unix seconds).
    func cookie(for actor: String, now: Int64) -> String {
        let payload = Self.base64URL(Array("v1|\(actor)|\(now + Self.lifetime)".utf8))
        return payload + "." + mac("session|" + payload)
    }

    /// The session a `Cookie` header carries, if its signature holds and it has not expired.
    func session(cookieHeader: String?, now: Int64) -> Session? {
        guard let header = cookieHeader else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.hasPrefix(Self.cookieName + "=") else { continue }
            let value = String(pair.dropFirst(Self.cookieName.count + 1))
            let pieces = value.split(separator: ".", maxSplits: 1).map(String.init)
            guard pieces.count == 2, Self.constantTimeEqual(mac("session|" + pieces[0]), pieces[1]),
                let payload = Self.decodeBase64URL(pieces[0]).map({ String(decoding: $0, as: UTF8.self) })
            else { continue }
            let fields = payload.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, fields[0] == "v1", let expiry = Int64(fields[2]), expiry > now else { continue }
            return Session(actor: fields[1], cookie: value, csrf: mac("csrf|" + pieces[0]))
        }
        return nil
    }

    /// Whether `token` is the CSRF token of `session`.
    func checks(csrf token: String?, for session: Session) -> Bool {
        guard let token else { return false }
        return Self.constantTimeEqual(token, session.csrf)
    }

    /// `Set-Cookie` for a login: HttpOnly, SameSite=Strict, for /ui only.
    static func setCookie(_ value: String) -> String {
        "\(cookieName)=\(value); Path=/ui; Max-Age=\(lifetime); HttpOnly; SameSite=Strict"
    }

    /// `Set-Cookie` that ends the session.
    static let clearCookie = "\(cookieName)=; Path=/ui; Max-Age=0; HttpOnly; SameSite=Strict"

    private func mac(_ text: String) -> String {
        Self.base64URL(Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key))))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<x.count { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
