import Foundation
import Testing
import VigilCore
import VigilSettings
import VigilIngest
import VigilTestSupport

@Suite struct DaemonConfigurationTests {
    /// The repository root (the tests directory may be reached through a symbolic link).
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theShippedExamplesSetEveryKeyToItsDefault() throws {
        let configuration = try DaemonConfiguration.load(directory: Self.root)
        #expect(configuration == DaemonConfiguration())
    }

    @Test func inputsAreRead() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.file(
            "vigil.toml",
            """
            [inputs.syslog_udp]
            listen = ["0.0.0.0:514", "[::1]:5514"]
            timezone = "Europe/Berlin"
            [inputs.journald]
            directory = "/var/log/journal/remote"
            fields = ["_PID"]
            [inputs.http]
            listen = "[::1]:9000"
            tokens = ["a"]
            max_body_bytes = "1MiB"
            [pipeline]
            max_records = 1000
            [daemon]
            shutdown_timeout = "5s"
            """)
        let configuration = try DaemonConfiguration.load(directory: scratch.path)
        #expect(configuration.inputs.syslogUDP.listen == [ListenAddress(host: "0.0.0.0", port: 514), ListenAddress(host: "::1", port: 5514)])
        #expect(configuration.inputs.syslogUDP.timeZone == "Europe/Berlin")
        #expect(configuration.inputs.journald.directory == "/var/log/journal/remote")
        #expect(configuration.inputs.journald.fields == ["_PID"])
        #expect(configuration.inputs.http.listen == ListenAddress(host: "::1", port: 9000))
        #expect(configuration.inputs.http.maxBodyBytes == 1 << 20)
        #expect(configuration.inputs.pipelineMaxRecords == 1000)
        #expect(configuration.shutdownTimeout == 5_000_000_000)
    }

    @Test(arguments: [
        ("[inputs.syslog_udp]\nlisten = \"nowhere\"\n", "2: inputs.syslog_udp.listen: expected \"HOST:PORT\""),
        ("[inputs.syslog_udp]\ntimezone = \"Mars/Olympus\"\n", "2: inputs.syslog_udp.timezone: unknown time zone \"Mars/Olympus\""),
        ("[inputs.journald]\ndirectory = \"/x\"\nfiles = [\"/y\"]\n", "inputs.journald.files: set either directory or files, not both"),
        ("[inputs.http]\nlisten = [\"a:1\", \"b:2\"]\n", "2: inputs.http.listen: expected one address"),
        ("[inputs.http]\ntokens = [\"\"]\n", "2: inputs.http.tokens: a token must not be empty"),
        ("[inputs.tcp]\nenabled = true\n", "inputs.tcp"),
        ("[daemon]\nshutdown_timout = \"5s\"\n", "daemon.shutdown_timout"),
    ])
    func errorsNameFileLineKeyAndReason(text: String, expected: String) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = scratch.file("conf.d/10-x.toml", text)
        do {
            _ = try DaemonConfiguration.load(directory: scratch.path)
            Issue.record("no error for \(text)")
        } catch {
            #expect("\(error)".hasPrefix(file + ":"), "\(error)")
            #expect("\(error)".contains(expected), "\(error)")
        }
    }
}
