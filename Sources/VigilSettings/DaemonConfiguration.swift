import VigilCore
import VigilDetect
import VigilIncidents
import VigilIngest

/// Everything `vigild` reads from `vigil.toml` and `conf.d/*.toml`: the core settings (`data_dir`,
/// `[store]`), the inputs and pipeline, the detectors and rules, `[incidents]`, `[api]`,
/// `[[webhooks]]`, `[outputs.nats]` and the `[daemon]` table. A key nothing reads is an error
/// naming its file and line, so typos do not pass silently.
///
///     [daemon]
///     shutdown_timeout = "30s"   # SIGTERM: stop inputs, drain, seal, exit within this time
///     status_interval = "5s"     # how often sd_notify STATUS= and the store gauges are refreshed
///     rewarm = "1h"              # the store tail replayed into the detectors at start
public struct DaemonConfiguration: Sendable, Equatable {
    /// `data_dir` and `[store]`.
    public var core = CoreConfiguration()
    /// `[inputs.*]` and `[pipeline]`.
    public var inputs = InputsConfiguration()
    /// `[[rules]]` and `[detectors]`.
    public var detection = DetectionConfiguration()
    /// `[incidents]` (its evidence limit is `[detectors] evidence`).
    public var incidents = IncidentsConfiguration()
    /// `[api]`.
    public var api = APIConfiguration()
    /// `[[webhooks]]`.
    public var webhooks = WebhooksConfiguration()
    /// `[outputs.nats]` (fleet mode's forwarder; off unless the table is there).
    public var natsOutput = NATSOutputConfiguration()
    /// `[daemon] rewarm`: how much of the store's tail re-warms the detectors at start, ns.
    public var rewarm: Int64 = 3_600_000_000_000
    /// `[daemon] shutdown_timeout`, nanoseconds.
    public var shutdownTimeout: Int64 = 30_000_000_000
    /// `[daemon] status_interval`, nanoseconds.
    public var statusInterval: Int64 = 5_000_000_000

    /// The defaults.
    public init() {}

    /// Reads a loaded document and reports any key nothing reads.
    public init(document: ConfigurationDocument) throws(ConfigError) {
        let root = ConfigTable(document: document)
        core = try CoreConfiguration(table: root)
        inputs = try InputsConfiguration(root: root)
        detection = try DetectionConfiguration(table: root)
        incidents = try root.decode(IncidentsConfiguration.self, "incidents") ?? incidents
        incidents.evidenceLimit = detection.evidence
        api = try root.table("api").map(APIConfiguration.init(table:)) ?? api
        webhooks = try WebhooksConfiguration(root: root)
        if let outputs = try root.table("outputs") {
            natsOutput = try outputs.table("nats").map(NATSOutputConfiguration.init(table:)) ?? natsOutput
        }
        if let daemon = try root.table("daemon") {
            shutdownTimeout = try daemon.duration("shutdown_timeout", atLeast: 1) ?? shutdownTimeout
            statusInterval = try daemon.duration("status_interval", atLeast: 100_000_000) ?? statusInterval
            rewarm = try daemon.duration("rewarm") ?? rewarm
        }
        try root.finish()
    }

    /// Loads `DIR/vigil.toml` and `DIR/conf.d/*.toml`.
    public static func load(directory: String) throws(ConfigError) -> DaemonConfiguration {
        try DaemonConfiguration(document: ConfigurationLoader.load(directory: directory))
    }
}
