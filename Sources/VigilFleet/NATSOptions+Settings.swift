import Foundation
import NIOSSL
import VigilIngest
import VigilNATS

extension NATSOptions {
    /// The client options for `[outputs.nats]` or `[inputs.nats]` (`table` names it in errors):
    /// servers, credentials (the NKey seed or creds file read now), TLS files, timeout.
    init(settings: NATSSettings, table: String, name: String) throws {
        self.init(servers: try settings.urls.map { try NATSServerAddress(url: $0) }, name: name)
        user = settings.user
        password = settings.password
        token = settings.token
        connectTimeout = .nanoseconds(settings.timeout)
        if let path = settings.nkeySeedFile {
            do {
                nkey = try NATSNKey(seed: try String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw NATSSettingsError(key: "\(table).nkey_seed_file", path: path, reason: "\(error)")
            }
        }
        if settings.tls {
            var tls = TLSConfiguration.makeClientConfiguration()
            if let path = settings.tlsCAFile {
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
                } catch {
                    throw NATSSettingsError(key: "\(table).tls_ca_file", path: path, reason: "not PEM certificates: \(error)")
                }
            }
            if let certificate = settings.tlsCertificateFile, let key = settings.tlsKeyFile {
                do {
                    tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                } catch {
                    throw NATSSettingsError(key: "\(table).tls_cert_file", path: certificate, reason: "not PEM certificates: \(error)")
                }
                do {
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
                } catch {
                    throw NATSSettingsError(key: "\(table).tls_key_file", path: key, reason: "not a PEM private key: \(error)")
                }
            }
            self.tls = tls
        }
        if let path = settings.credentialsFile {
            do {
                credentials = try NATSCredentials(text: try String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw NATSSettingsError(key: "\(table).credentials", path: path, reason: "\(error)")
            }
        }
    }
}

/// A credentials file named by the configuration that cannot be used.
struct NATSSettingsError: Error, CustomStringConvertible {
    var key: String
    var path: String
    var reason: String
    var description: String { "\(key): \(path): \(reason)" }
}
