import Crypto
import Foundation

/// An NKey (NATS's Ed25519 identities): a user's seed, its public key, and the nonce signature a
/// server asks for at connect. Seeds and keys are base32 text with a type prefix and a CRC-16, as
/// the `nk` tool and NATS's own clients write them (`SU…` for a user seed, `U…` for its public key).
public struct NATSNKey: Sendable {
    /// The 32-byte Ed25519 seed (swift-crypto's key type is not Sendable; it is made for each use).
    private let rawSeed: [UInt8]
    /// The public key, `U…`.
    public let publicKey: String

    private static let seedPrefix: UInt8 = 18 << 3
    private static let userPrefix: UInt8 = 20 << 3

    /// Reads a user seed (`SU…`).
    public init(seed: String) throws(NATSError) {
        guard let raw = NATSBase32.decode(seed.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 36,
            NATSCRC16.checksum(raw[0..<34]) == UInt16(raw[34]) | UInt16(raw[35]) << 8
        else { throw .invalidCredentials("not an NKey seed (expected SU… of 58 characters with a valid checksum)") }
        let prefix = raw[0] & 0xF8
        let keyType = (raw[0] & 0x07) << 5 | (raw[1] & 0xF8) >> 3
        guard prefix == Self.seedPrefix, keyType == Self.userPrefix else {
            throw .invalidCredentials("the NKey seed is not a user seed (SU…)")
        }
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw[2..<34])
        } catch {
            throw .invalidCredentials("the NKey seed does not hold an Ed25519 key")
        }
        rawSeed = Array(raw[2..<34])
        publicKey = Self.encode(prefix: Self.userPrefix, key.publicKey.rawRepresentation)
    }

    /// A new random user key (tests make servers that accept it).
    public static func random() -> NATSNKey {
        let key = Curve25519.Signing.PrivateKey()
        let seed = key.rawRepresentation
        var raw: [UInt8] = [Self.seedPrefix | Self.userPrefix >> 5, (Self.userPrefix & 31) << 3]
        raw += seed
        let crc = NATSCRC16.checksum(raw[...])
        raw += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        return try! NATSNKey(seed: NATSBase32.encode(raw))
    }

    /// The seed as text, `SU…`.
    public var seed: String {
        var raw: [UInt8] = [Self.seedPrefix | Self.userPrefix >> 5, (Self.userPrefix & 31) << 3]
        raw += rawSeed
        let crc = NATSCRC16.checksum(raw[...])
        return NATSBase32.encode(raw + [UInt8(crc & 0xFF), UInt8(crc >> 8)])
    }

    /// The signature of the server's nonce, base64url without padding, for CONNECT's `sig`.
    public func sign(nonce: String) throws(NATSError) -> String {
        do {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawSeed)
            let signature = try key.signature(for: Data(nonce.utf8))
            return Data(signature).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        } catch {
            throw .invalidCredentials("cannot sign the server's nonce: \(error)")
        }
    }

    private static func encode(prefix: UInt8, _ key: some DataProtocol) -> String {
        var raw = [prefix] + Array(key)
        let crc = NATSCRC16.checksum(raw[...])
        raw += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        return NATSBase32.encode(raw)
    }
}

/// A `.creds` file: a user JWT and its NKey seed between the markers `nsc` writes.
public struct NATSCredentials: Sendable {
    public var jwt: String
    public var key: NATSNKey

    public init(text: String) throws(NATSError) {
        func block(_ name: String) -> String? {
            let lines = text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let start = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN") && $0.contains(name) }) else { return nil }
            return lines[(start + 1)...].first { !$0.isEmpty && !$0.hasPrefix("---") }
        }
        guard let jwt = block("JWT") else { throw .invalidCredentials("no user JWT block (-----BEGIN NATS USER JWT-----)") }
        guard let seed = block("NKEY SEED") else { throw .invalidCredentials("no seed block (-----BEGIN USER NKEY SEED-----)") }
        self.jwt = jwt
        key = try NATSNKey(seed: seed)
    }
}

/// RFC 4648 base32 without padding, as NKeys use it.
enum NATSBase32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for character in text.utf8 {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = buffer << 5 | value
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return output
    }
}

/// CRC-16/XMODEM (polynomial 0x1021, initial 0), the NKey checksum.
enum NATSCRC16 {
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }
}
