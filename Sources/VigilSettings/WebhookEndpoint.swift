import Foundation
import VigilCore
import VigilIncidents

/// One `[[webhooks]]` entry: where vigild sends notifications about incidents, in which format,
/// for which incidents and events, signed with which secrets, and how long it keeps retrying.
///
///     [[webhooks]]
///     name = "ops"                        # unique; shown by `vigil webhooks list`
///     url = "https://hooks.example.com/vigil"
///     format = "cloudevents"              # or "slack", "pagerduty", "alertmanager"
///     min_severity = "warning"            # critical, error, warning or info (default)
///     services = ["api", "web-*"]         # globs on the incident's service label; empty: all
///     detectors = ["rule"]                # empty: all
///     events = ["opened", "resolved"]     # empty: every notifying event
///     secrets = ["whsec_…"]               # Standard Webhooks signing; or secret_file = "…"
///     headers = { "X-Team" = "ops" }
///     timeout = "10s"
///
/// Secrets, tokens and routing keys are never printed (``description`` names the endpoint only).
public struct WebhookEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// A payload format.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// CloudEvents 1.0, structured JSON: the timeline event itself.
        case cloudevents
        /// Slack's incoming-webhook message (`text` and `blocks`).
        case slack
        /// PagerDuty Events API v2 (`/v2/enqueue`).
        case pagerduty
        /// Alertmanager's webhook payload, version 4.
        case alertmanager
    }

    /// The unique name.
    public var name: String
    /// Where to POST.
    public var url: String
    /// The payload format; default CloudEvents.
    public var format = Format.cloudevents
    /// Whether deliveries are made (pending ones are kept when not).
    public var enabled = true
    /// The least severe incident it is told about; default info (all).
    public var minSeverity = IncidentSeverity.info
    /// Detector names (`rule`, `rate`, `error_ratio`, `new_template`, `events`); empty: all.
    public var detectors: [String] = []
    /// Globs on the incident's `service` label; empty: all.
    public var services: [String] = []
    /// The events it is told about; empty: all of them.
    public var events: [WebhookEvent] = []
    /// An extra request header.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Extra request headers.
    public var headers: [Header] = []
    /// How long one attempt may take, ns; default 10 s.
    public var timeout: Int64 = 10_000_000_000
    /// Standard Webhooks signing keys (decoded from `whsec_…`); the first signs, all are sent.
    public var secrets: [[UInt8]] = []
    /// PagerDuty's integration key (`format = "pagerduty"`).
    public var routingKey: String?
    /// At most this many requests in flight to it (never two for one incident); default 4.
    public var concurrency = 4
    /// The waits between attempts (each one drawn with full jitter up to its value); the last one
    /// repeats until `retryFor` is over. Default 5 s, 30 s, 2 min, 10 min, 30 min, 1 h.
    public var retrySchedule: [Int64] = [5, 30, 120, 600, 1800, 3600].map { $0 * 1_000_000_000 }
    /// How long after its event a delivery is retried before it goes to dead-letter; default 24 h.
    public var retryFor: Int64 = 86_400_000_000_000
    /// Re-notify a firing, unacknowledged incident this often; 0: never. Default 4 h.
    public var repeatInterval: Int64 = 14_400_000_000_000
    /// Incidents opened within this time of each other go out as one message; 0 (default): off.
    public var groupWait: Int64 = 0

    /// The default URL of the `pagerduty` format.
    public static let pagerDutyURL = "https://events.pagerduty.com/v2/enqueue"

    /// An endpoint with the defaults.
    public init(name: String, url: String, format: Format = .cloudevents) {
        self.name = name
        self.url = url
        self.format = format
    }

    public var description: String { name }

    /// The URL with its path, query and credentials hidden (`https://hooks.slack.com/…`): what
    /// logs and the API show, since some receivers (Slack's among them) put the secret in the path.
    public var displayURL: String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return "…" }
        let port = components.port.map { ":\($0)" } ?? ""
        let hidden = !(components.path.isEmpty || components.path == "/") || components.query != nil || components.user != nil
        return "\(scheme)://\(host)\(port)" + (hidden ? "/…" : "/")
    }

    /// Whether an event about `incident` goes to this endpoint.
    public func accepts(_ event: WebhookEvent, about incident: Incident) -> Bool {
        guard events.isEmpty || events.contains(event) else { return false }
        guard incident.severity.isAtLeast(minSeverity) else { return false }
        guard detectors.isEmpty || detectors.contains(incident.detector) else { return false }
        if !services.isEmpty {
            guard let service = incident.label("service"), services.contains(where: { GlobPattern.matches($0, service) }) else {
                return false
            }
        }
        return true
    }

    /// Reads one `[[webhooks]]` table.
    public init(table: ConfigTable) throws(ConfigError) {
        name = try table.required("name", try table.string("name"))
        guard !name.isEmpty, name.utf8.allSatisfy({ Self.nameBytes.contains($0) }) else {
            throw table.invalid("name", "a webhook's name is letters, digits, '-', '_' and '.', got \"\(name)\"")
        }
        format = try table.choice("format", Self.formatChoices) ?? format
        let givenURL = try table.string("url")
        guard let url = givenURL ?? (format == .pagerduty ? Self.pagerDutyURL : nil) else {
            throw ConfigError.missingKey(table.location, key: table.keyPath("url"))
        }
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            parsed.host?.isEmpty == false
        else {
            throw table.invalid("url", "expected an http:// or https:// URL with a host, got \"\(url)\"")
        }
        self.url = url
        enabled = try table.bool("enabled") ?? enabled
        if let severity = try table.string("min_severity") {
            guard let parsed = IncidentSeverity(parsing: severity) else {
                throw table.invalid("min_severity", "expected \"critical\", \"error\", \"warning\" or \"info\", got \"\(severity)\"")
            }
            minSeverity = parsed
        }
        detectors = try table.stringArray("detectors") ?? []
        services = try table.stringArray("services") ?? []
        for name in try table.stringArray("events") ?? [] {
            guard let event = WebhookEvent(rawValue: name) else {
                let names = WebhookEvent.allCases.filter { $0 != .test }.map(\.rawValue).joined(separator: ", ")
                throw table.invalid("events", "unknown event \"\(name)\"; the events are \(names)")
            }
            events.append(event)
        }
        if let headerTable = try table.table("headers") {
            for key in headerTable.keys {
                guard let value = try headerTable.string(key) else { continue }
                guard Self.isToken(key), !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                    throw headerTable.invalid(key, "not a valid HTTP header")
                }
                headers.append(Header(name: key, value: value))
            }
        }
        timeout = try table.duration("timeout", atLeast: 1_000_000) ?? timeout
        concurrency = try table.int("concurrency", in: 1...64) ?? concurrency
        if let schedule = try table.stringArray("retry_schedule") {
            var waits: [Int64] = []
            for text in schedule {
                guard let wait = DurationParser.parse(text), wait > 0 else {
                    throw table.invalid("retry_schedule", "expected durations such as \"5s\", \"2m\", got \"\(text)\"")
                }
                waits.append(wait)
            }
            guard !waits.isEmpty else { throw table.invalid("retry_schedule", "give at least one wait") }
            retrySchedule = waits
        }
        retryFor = try table.duration("retry_for") ?? retryFor
        repeatInterval = try table.duration("repeat_interval") ?? repeatInterval
        groupWait = try table.duration("group_wait") ?? groupWait
        secrets = try Self.secrets(table)
        routingKey = try Self.routingKey(table)
        if format == .pagerduty, routingKey == nil {
            throw table.invalid("routing_key", "the pagerduty format needs routing_key or routing_key_file")
        }
    }

    private static let formatChoices: KeyValuePairs<String, Format> = [
        "cloudevents": .cloudevents, "slack": .slack, "pagerduty": .pagerduty, "alertmanager": .alertmanager,
    ]
    private static let nameBytes = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".utf8))

    /// An HTTP header name (RFC 9110 token).
    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { nameBytes.contains($0) || "!#$%&'*+^`|~".utf8.contains($0) }
    }

    private static func secrets(_ table: ConfigTable) throws(ConfigError) -> [[UInt8]] {
        var texts = try table.stringArray("secrets") ?? []
        if let file = try table.string("secret_file") {
            guard let content = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw table.invalid("secret_file", "cannot read \(file)")
            }
            texts += content.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var keys: [[UInt8]] = []
        for text in texts {
            guard let key = WebhookSecret.decode(text) else {
                throw table.invalid(
                    table.contains("secrets") ? "secrets" : "secret_file",
                    "a secret is \"whsec_\" followed by base64 (24 to 64 random bytes), such as one from `openssl rand -base64 32`")
            }
            keys.append(key)
        }
        return keys
    }

    private static func routingKey(_ table: ConfigTable) throws(ConfigError) -> String? {
        switch (try table.string("routing_key"), try table.string("routing_key_file")) {
        case (let key?, nil): return key
        case (nil, let file?):
            guard let key = APIConfiguration.Token.read(file: file), !key.isEmpty else {
                throw table.invalid("routing_key_file", "cannot read \(file)")
            }
            return key
        case (nil, nil): return nil
        case (.some, .some): throw table.invalid("routing_key_file", "give routing_key or routing_key_file, not both")
        }
    }
}

/// Standard Webhooks secrets: `whsec_` and the base64 of the key (the prefix is optional).
public enum WebhookSecret {
    /// The key bytes of `text`, or `nil` when it is not base64 of at least 16 bytes.
    public static func decode(_ text: String) -> [UInt8]? {
        let body = text.hasPrefix("whsec_") ? String(text.dropFirst(6)) : text
        guard let data = Data(base64Encoded: body), data.count >= 16, data.count <= 128 else { return nil }
        return Array(data)
    }
}

/// `[[webhooks]]`: every endpoint, names unique.
public struct WebhooksConfiguration: Sendable, Equatable {
    /// The endpoints in configuration order.
    public var endpoints: [WebhookEndpoint] = []

    /// No endpoints.
    public init(endpoints: [WebhookEndpoint] = []) {
        self.endpoints = endpoints
    }

    /// Reads `[[webhooks]]` from the root table.
    public init(root: ConfigTable) throws(ConfigError) {
        var names = Set<String>()
        for table in try root.tableArray("webhooks") {
            let endpoint = try WebhookEndpoint(table: table)
            guard names.insert(endpoint.name).inserted else {
                throw table.invalid("name", "two webhooks are named \"\(endpoint.name)\"")
            }
            endpoints.append(endpoint)
        }
    }

    /// The endpoint named `name`.
    public subscript(name: String) -> WebhookEndpoint? { endpoints.first { $0.name == name } }
}
