import Foundation
import Testing
import VigilCore
import VigilIncidents
import VigilIngest
import VigilSettings
import VigilTestSupport

@Suite struct IncidentsAndAPIConfigurationTests {
    func load(_ text: String, files: [String: String] = [:]) throws -> DaemonConfiguration {
        try ConfigurationFixture.load(text, files: files)
    }

    func failure(_ text: String) -> String { ConfigurationFixture.failure(text) }

    @Test func incidentKeysAreRead() throws {
        let configuration = try load(
            """
            [detectors]
            evidence = 9
            [incidents]
            enabled = false
            resolve_on = "quiet"
            resolve_after = "10m"
            reopen_window = "30m"
            retention = "7d"
            """)
        var expected = IncidentsConfiguration()
        expected.enabled = false
        expected.resolveOn = .quiet
        expected.resolveAfter = 600_000_000_000
        expected.reopenWindow = 1_800_000_000_000
        expected.retention = 7 * 86_400_000_000_000
        expected.evidenceLimit = 9
        #expect(configuration.incidents == expected)
    }

    @Test func aPostgresBackendIsReadFromItsURLAndPasswordFile() throws {
        let configuration = try load(
            """
            [incidents]
            backend = "postgres"
            url = "postgresql://vigil@[::1]:6432/incidents?sslmode=verify-full"
            password_file = "DIR/pg.pass"
            connections = 8
            connect_timeout = "3s"
            """, files: ["pg.pass": "s3cret\n"])
        var expected = PostgresSettings()
        expected.host = "::1"
        expected.port = 6432
        expected.database = "incidents"
        expected.password = "s3cret"
        expected.tls = .verifyFull
        expected.connections = 8
        expected.connectTimeout = 3_000_000_000
        #expect(configuration.incidents.backend == .postgres(expected))
        #expect(expected.displayURL == "postgres://vigil@[::1]:6432/incidents?sslmode=verify-full")
        let defaults = try load("[incidents]\nbackend = \"postgres\"\nurl = \"postgres://ops:pw%40x@db\"\n")
        guard case .postgres(let settings) = defaults.incidents.backend else {
            Issue.record("not postgres")
            return
        }
        #expect(settings.host == "db" && settings.port == 5432 && settings.user == "ops" && settings.password == "pw@x")
        #expect(settings.database == "vigil" && settings.tls == .disable && settings.connections == 4)
        #expect(!settings.displayURL.contains("pw"))
        #expect(try load("").incidents.backend == .sqlite)
    }

    @Test func postgresSettingsThatCannotWorkStopStartUp() {
        #expect(failure("[incidents]\nbackend = \"postgres\"\n").contains("incidents.url"))
        #expect(failure("[incidents]\nbackend = \"mysql\"\n").contains("incidents.backend"))
        #expect(failure("[incidents]\nurl = \"postgres://db/vigil\"\n").contains("only for backend = \"postgres\""))
        #expect(failure("[incidents]\nbackend = \"postgres\"\nurl = \"mysql://db\"\n").contains("is not a postgres:// URL"))
        #expect(failure("[incidents]\nbackend = \"postgres\"\nurl = \"postgres://db?sslmode=always\"\n").contains("sslmode \"always\""))
        #expect(failure("[incidents]\nbackend = \"postgres\"\nurl = \"postgres://db?pool=3\"\n").contains("unknown parameter \"pool\""))
        #expect(
            failure("[incidents]\nbackend = \"postgres\"\nurl = \"postgres://a:b@db\"\npassword = \"c\"\n").contains("give it once"))
        #expect(failure("[incidents]\nbackend = \"postgres\"\nurl = \"postgres://db\"\nconnections = 0\n").contains("incidents.connections"))
    }

    @Test func apiKeysAndEveryFormOfTokenAreRead() throws {
        let configuration = try load(
            """
            [api]
            listen = "[::1]:9090"
            anonymous_reads = true
            max_body_bytes = "64KiB"
            [[api.tokens]]
            name = "ops"
            token = "inline"
            [[api.tokens]]
            name = "ci"
            token_file = "DIR/ci.token"
            """, files: ["ci.token": "from-file\nignored\n"])
        #expect(configuration.api.listen == ListenAddress(host: "::1", port: 9090))
        #expect(configuration.api.anonymousReads)
        #expect(configuration.api.maxBodyBytes == 65536)
        #expect(configuration.api.tokens == [.init(name: "ops", secret: "inline"), .init(name: "ci", secret: "from-file")])
        let plain = try load("[api]\ntokens = [\"a\", \"b\"]\n")
        #expect(plain.api.tokens == [.init(name: "token-1", secret: "a"), .init(name: "token-2", secret: "b")])
        #expect(!plain.api.tokens.description.contains("a\""))
    }

    @Test func badValuesNameFileLineKeyAndReason() {
        #expect(failure("[incidents]\nresolve_on = \"never\"\n") == #"vigil.toml:2: incidents.resolve_on: expected "signal", "quiet" or "manual", got "never""#)
        #expect(failure("[incidents]\nretention = \"1m\"\n").hasPrefix("vigil.toml:2: incidents.retention:"))
        #expect(failure("[incidents]\nreopen = \"1h\"\n").hasPrefix("vigil.toml:2: incidents.reopen: unknown key"))
        #expect(failure("[api]\nlisten = [\"127.0.0.1:1\", \"127.0.0.1:2\"]\n") == "vigil.toml:2: api.listen: expected one address")
        #expect(failure("[[api.tokens]]\nname = \"ops\"\ntoken_file = \"/nonexistent/t\"\n") == "vigil.toml:3: api.tokens[0].token_file: cannot read /nonexistent/t")
        #expect(failure("[[api.tokens]]\nname = \"ops\"\n") == #"vigil.toml:2: api.tokens[0].name: token "ops" needs token or token_file"#)
        #expect(failure("[api]\ntokens = [{ name = \"a\", token = \"x\" }, { name = \"a\", token = \"y\" }]\n") == #"vigil.toml:2: api.tokens: two tokens are named "a""#)
        #expect(failure("[api]\ntokens = [\"\"]\n") == "vigil.toml:2: api.tokens: a token may not be empty")
    }
}
