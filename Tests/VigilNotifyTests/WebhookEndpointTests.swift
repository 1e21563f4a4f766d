import Testing
import VigilCore
import VigilIncidents
import VigilIncidentsTestSupport
import VigilSettings

@Suite struct WebhookEndpointTests {
    func load(_ text: String) throws(ConfigError) -> WebhooksConfiguration {
        let document = ConfigurationDocument(root: try TOMLParser.parse(text, file: "vigil.toml"), files: ["vigil.toml"])
        return try DaemonConfiguration(document: document).webhooks
    }

    @Test func everyKeyIsReadWithItsDefaults() throws {
        let configuration = try load(
            """
            [[webhooks]]
            name = "ops"
            url = "https://hooks.example.com/vigil"
            [[webhooks]]
            name = "pager"
            format = "pagerduty"
            routing_key = "R0123"
            min_severity = "error"
            services = ["api", "web-*"]
            detectors = ["rule"]
            events = ["opened", "resolved"]
            headers = { "X-Team" = "ops" }
            timeout = "3s"
            secrets = ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
            retry_schedule = ["1s", "10s"]
            retry_for = "1h"
            repeat_interval = "0s"
            group_wait = "30s"
            concurrency = 2
            enabled = false
            """)
        let ops = try #require(configuration["ops"])
        #expect(ops.format == .cloudevents && ops.enabled && ops.minSeverity == .info && ops.timeout == 10_000_000_000)
        #expect(ops.repeatInterval == 4 * 3_600_000_000_000 && ops.groupWait == 0 && ops.retryFor == 86_400_000_000_000)
        let pager = try #require(configuration["pager"])
        #expect(pager.url == WebhookEndpoint.pagerDutyURL)
        #expect(pager.routingKey == "R0123" && pager.minSeverity == .error && !pager.enabled && pager.concurrency == 2)
        #expect(pager.headers.map(\.name) == ["X-Team"] && pager.secrets.count == 1)
        #expect(pager.retrySchedule == [1_000_000_000, 10_000_000_000] && pager.groupWait == 30_000_000_000)
        // Secrets never show in a description.
        #expect("\(pager)" == "pager")
    }

    @Test func filtersSelectIncidents() throws {
        var endpoint = WebhookEndpoint(name: "a", url: "http://x/")
        endpoint.services = ["web-*"]
        endpoint.minSeverity = .error
        endpoint.events = [.opened]
        #expect(endpoint.accepts(.opened, about: Signals.incident("web-1")))
        #expect(!endpoint.accepts(.opened, about: Signals.incident("api")))
        #expect(!endpoint.accepts(.resolved, about: Signals.incident("web-1")))
        endpoint.minSeverity = .critical
        #expect(!endpoint.accepts(.opened, about: Signals.incident("web-1")))
    }

    @Test func mistakesNameTheKeyAndTheReason() {
        let cases: [(String, String)] = [
            ("[[webhooks]]\nurl = \"http://x/\"", "webhooks[0].name"),
            ("[[webhooks]]\nname = \"a\"\nurl = \"ftp://x/\"", "expected an http:// or https:// URL"),
            ("[[webhooks]]\nname = \"a\"\nformat = \"pagerduty\"", "needs routing_key or routing_key_file"),
            ("[[webhooks]]\nname = \"a\"\nurl = \"http://x/\"\nsecrets = [\"whsec_nope!\"]", "is \"whsec_\" followed by base64"),
            ("[[webhooks]]\nname = \"a\"\nurl = \"http://x/\"\nevents = [\"exploded\"]", "unknown event \"exploded\""),
            ("[[webhooks]]\nname = \"a\"\nurl = \"http://x/\"\n[[webhooks]]\nname = \"a\"\nurl = \"http://y/\"", "two webhooks are named \"a\""),
            ("[[webhooks]]\nname = \"a\"\nurl = \"http://x/\"\nformat = \"teams\"", "expected \"cloudevents\", \"slack\", \"pagerduty\" or \"alertmanager\""),
            ("[[webhooks]]\nname = \"a\"\nurl = \"http://x/\"\nsecret_file = \"/nonexistent/secret\"", "cannot read /nonexistent/secret"),
            ("[[webhooks]]\nname = \"a\"\nurl = \"http://x/\"\nretries = 3", "webhooks[0].retries"),
        ]
        for (text, expected) in cases {
            do {
                _ = try load(text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
                #expect("\(error)".contains("vigil.toml:"), "\(error)")
            }
        }
    }
}
