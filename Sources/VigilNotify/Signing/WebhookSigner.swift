import Crypto
import Foundation

/// Signs requests as the Standard Webhooks specification says: `webhook-signature` holds
/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for each secret, separated by spaces, so a
/// receiver verifies with whichever key it has while keys rotate.
public struct WebhookSigner: Sendable {
    // The bytes, not `SymmetricKey`s: swift-crypto's key type is not `Sendable`.
    private let keys: [[UInt8]]

    /// A signer with `secrets` (the decoded key bytes); none: requests go unsigned.
    public init(secrets: [[UInt8]]) {
        keys = secrets
    }

    /// Whether there is a key to sign with.
    public var signs: Bool { !keys.isEmpty }

    /// The `webhook-signature` value for `body` sent as message `id` at `timestamp` (Unix seconds).
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        var content = Array("\(id).\(timestamp).".utf8)
        content += body
        return keys.map { key in
            "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))).base64EncodedString()
        }.joined(separator: " ")
    }
}
