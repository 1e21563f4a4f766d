/// A CA and a server certificate for `localhost` and `127.0.0.1` signed by it (ECDSA P-256, valid
/// two days), made by the real openssl in a scratch directory: for tests of TLS clients.
public enum TestCertificates {
    public struct Files: Sendable {
        public var ca: String
        public var certificate: String
        public var key: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func make(in scratch: Scratch) async throws -> Files {
        let script = """
            set -e; cd '\(scratch.path)'
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=vigil-test-ca 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr -subj /CN=localhost 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > ext.cnf
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null
            """
        let result = try await runProcess("/bin/sh", ["-c", script])
        guard result.status == 0 else { throw Failure(description: "openssl failed: \(result.stderr)") }
        return Files(ca: scratch.path + "/ca.pem", certificate: scratch.path + "/server.pem", key: scratch.path + "/server.key")
    }
}
