import Foundation
import HTTPTypes
import Hummingbird
import VigilSettings

/// Who a request acts as: the name of the bearer token it carries (the management API's tokens, and
/// the logs input's). Reads may go without a token from loopback clients when `anonymous_reads` is
/// on; writes never do.
struct APIAuthenticator: Sendable {
    let tokens: [APIConfiguration.Token]
    let anonymousReads: Bool

    /// The token's name for `request`, `anonymous` for an allowed anonymous read, or `unauthorized`.
    func actor(for request: Request, context: DaemonRequestContext, write: Bool) throws(APIError) -> String {
        if let secret = Self.bearer(request.headers[.authorization]) {
            guard let name = name(of: secret) else { throw .unauthorized }
            return name
        }
        if !write, anonymousReads, context.isLoopback { return "anonymous" }
        throw .unauthorized
    }

    /// The name of the token whose secret is `secret`. Every token is compared in full, in time
    /// that depends only on the lengths, so the answer's timing does not reveal a prefix.
    func name(of secret: String) -> String? {
        let offered = Array(secret.utf8)
        var found: String?
        for token in tokens {
            let expected = Array(token.secret.utf8)
            var difference = UInt8(offered.count == expected.count ? 0 : 1)
            for index in 0..<expected.count {
                difference |= expected[index] ^ (offered.isEmpty ? 0 : offered[index % offered.count])
            }
            if difference == 0, found == nil { found = token.name }
        }
        return found
    }

    /// The token of `Authorization: Bearer TOKEN`.
    static func bearer(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
