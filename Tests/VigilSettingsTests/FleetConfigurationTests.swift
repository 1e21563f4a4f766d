import Foundation
import Testing
import VigilCore
import VigilIngest
import VigilSettings
import VigilTestSupport

/// `[outputs.nats]` and `[inputs.nats]`: defaults, every key, and errors that name file, line, key.
@Suite struct FleetConfigurationTests {
    func load(_ text: String) throws -> DaemonConfiguration {
        try ConfigurationFixture.load(text, files: ["nats.password": "s3cret\n"])
    }

    func failure(_ text: String) -> String { ConfigurationFixture.failure(text, files: ["nats.password": "s3cret\n"]) }

    @Test func fleetModeIsOffUntilItsTablesAreThere() throws {
        let configuration = try load("")
        #expect(!configuration.natsOutput.enabled && !configuration.inputs.nats.enabled)
    }

    @Test func everyKeyIsRead() throws {
        let configuration = try load(
            """
            [outputs.nats]
            urls = ["nats://a:4222", "nats://b:4223"]
            user = "edge"
            password_file = "DIR/nats.password"
            timeout = "2s"
            subject = "logs.{host}.app"
            host = "web 1/α"
            stream = "EDGE"
            max_bytes = "1GiB"
            max_age = "7d"
            duplicate_window = "5m"
            start_at = "newest"
            max_in_flight = 8
            max_message_bytes = "256KiB"
            [inputs.nats]
            url = "nats://central:4222"
            credentials = "DIR/nats.password"
            stream = "EDGE"
            subjects = ["logs.>"]
            durable = "central-1"
            ack_wait = "10s"
            max_ack_pending = 100
            batch = 16
            """)
        let output = configuration.natsOutput
        #expect(output.enabled && output.connection.urls == ["nats://a:4222", "nats://b:4223"])
        #expect(output.connection.user == "edge" && output.connection.password == "s3cret" && output.connection.timeout == 2_000_000_000)
        #expect(output.stream == "EDGE" && output.maxBytes == 1 << 30 && output.maxAge == 7 * 86_400 * 1_000_000_000)
        #expect(output.duplicateWindow == 300_000_000_000 && output.startAt == .newest && output.maxInFlight == 8)
        #expect(output.maxMessageBytes == 256 << 10 && output.host == "web 1/α")
        #expect(output.streamSubjects == ["logs.*.app"])
        #expect(output.subject(forHost: "web 1/α") == "logs.web_1_α.app")
        let input = configuration.inputs.nats
        #expect(input.enabled && input.connection.urls == ["nats://central:4222"] && input.connection.credentialsFile?.hasSuffix("/nats.password") == true)
        #expect(input.stream == "EDGE" && input.subjects == ["logs.>"] && input.durable == "central-1")
        #expect(input.ackWait == 10_000_000_000 && input.maxAckPending == 100 && input.batch == 16)
    }

    @Test func theDefaultSubjectTakesDottedHostNames() {
        let output = NATSOutputConfiguration()
        #expect(output.streamSubjects == ["vigil.logs.>"])
        #expect(output.subject(forHost: "web1.example.com") == "vigil.logs.web1.example.com")
        #expect(output.subject(forHost: "..") == "vigil.logs._")
        #expect(output.subject(forHost: "a*b>c") == "vigil.logs.a_b_c")
    }

    @Test func badValuesNameFileLineAndKey() {
        #expect(failure("[outputs.nats]\nurl = \"tls://x:4222\"\n") == "no error")
        #expect(failure("[outputs.nats]\nurl = \"http://x\"\n") == #"vigil.toml:2: outputs.nats.url: expected nats://host:port or tls://host:port, got "http://x""#)
        #expect(failure("[outputs.nats]\ntls_cert_file = \"DIR/nats.password\"\n") == "vigil.toml:2: outputs.nats.tls_cert_file: tls_cert_file and tls_key_file go together")
        #expect(failure("[outputs.nats]\ntls_ca_file = \"/nonexistent.pem\"\n") == "vigil.toml:2: outputs.nats.tls_ca_file: cannot read /nonexistent.pem")
        #expect(failure("[outputs.nats]\nurl = \"nats://a\"\nurls = [\"nats://b\"]\n").hasPrefix("vigil.toml:3: outputs.nats.urls: give url or urls"))
        #expect(failure("[outputs.nats]\nsubject = \"vigil.*\"\n").hasPrefix("vigil.toml:2: outputs.nats.subject:"))
        #expect(failure("[outputs.nats]\nstream = \"a.b\"\n").hasPrefix("vigil.toml:2: outputs.nats.stream:"))
        #expect(failure("[outputs.nats]\nuser = \"edge\"\n").hasPrefix("vigil.toml:2: outputs.nats.user: user and password go together"))
        #expect(failure("[outputs.nats]\nstart_at = \"middle\"\n").hasPrefix("vigil.toml:2: outputs.nats.start_at:"))
        #expect(failure("[outputs.nats]\ncreds = \"x.creds\"\n").hasPrefix("vigil.toml:2: outputs.nats.creds: unknown key"))
        #expect(failure("[inputs.nats]\ndurable = \"a b\"\n").hasPrefix("vigil.toml:2: inputs.nats.durable:"))
        #expect(failure("[inputs.nats]\nbatch = 0\n").hasPrefix("vigil.toml:2: inputs.nats.batch:"))
        #expect(failure("[inputs.nats]\ntoken_file = \"/nonexistent\"\n").hasPrefix("vigil.toml:2: inputs.nats.token_file: cannot read /nonexistent"))
        #expect(failure("[inputs.nats]\nnkey_seed_file = \"/nonexistent.nk\"\n") == "vigil.toml:2: inputs.nats.nkey_seed_file: cannot read /nonexistent.nk")
        #expect(
            failure("[outputs.nats]\ntoken = \"t\"\nnkey_seed_file = \"DIR/nats.password\"\n")
                == "vigil.toml:3: outputs.nats.nkey_seed_file: give one way to log in: user and password, token, nkey_seed_file or credentials")
    }
}
