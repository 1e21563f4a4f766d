import Foundation
import VigilCore

/// The `[inputs.*]` tables and the `[pipeline]` table.
///
///     [inputs.syslog_udp]
///     enabled = true
///     listen = ["127.0.0.1:5514"]     # one "HOST:PORT" or a list
///     receive_buffer = "8MiB"         # SO_RCVBUF (SO_RCVBUFFORCE when privileged)
///     timezone = "UTC"                # zone of RFC 3164 timestamps, which carry none
///
///     [inputs.syslog_tcp]
///     enabled = false
///     listen = ["127.0.0.1:5514"]     # RFC 6587: octet counting or newline framing
///     timezone = "UTC"
///     max_message_bytes = "64KiB"     # longer messages are cut and marked truncated
///     max_connections = 200           # more are closed at once and counted
///
///     [inputs.journald]
///     enabled = true
///     directory = ""                  # read this journal directory instead of the local journal
///     files = []                      # or these journal files
///     fields = [...]                  # journal fields kept as record fields
///     batch_size = 1024
///
///     [inputs.http]
///     enabled = true
///     listen = "127.0.0.1:8080"
///     max_body_bytes = "10MiB"
///     tokens = []                     # bearer tokens; empty: no authentication
///     queue_wait = "1s"               # how long a request waits for room before 503
///     max_active_requests = 4         # requests decoded and awaiting durability at once
///
///     [pipeline]
///     max_records = 32768             # records in flight between the inputs and the store (~0.4 KiB each)
public struct InputsConfiguration: Sendable, Equatable {
    /// `[inputs.syslog_udp]`.
    public var syslogUDP = SyslogUDPConfiguration()
    /// `[inputs.syslog_tcp]`.
    public var syslogTCP = SyslogTCPConfiguration()
    /// `[inputs.journald]`.
    public var journald = JournaldConfiguration()
    /// `[inputs.http]`.
    public var http = HTTPInputConfiguration()
    /// `[inputs.nats]` (fleet mode's central input; off unless the table is there).
    public var nats = NATSInputConfiguration()
    /// `[pipeline] max_records`.
    public var pipelineMaxRecords = 32_768

    /// The defaults.
    public init() {}

    /// Reads `inputs` and `pipeline` from the root table; absent keys keep their defaults.
    public init(root: ConfigTable) throws(ConfigError) {
        if let inputs = try root.table("inputs") {
            syslogUDP = try inputs.decode(SyslogUDPConfiguration.self, "syslog_udp") ?? syslogUDP
            syslogTCP = try inputs.decode(SyslogTCPConfiguration.self, "syslog_tcp") ?? syslogTCP
            journald = try inputs.decode(JournaldConfiguration.self, "journald") ?? journald
            http = try inputs.decode(HTTPInputConfiguration.self, "http") ?? http
            nats = try inputs.decode(NATSInputConfiguration.self, "nats") ?? nats
        }
        if let pipeline = try root.table("pipeline") {
            pipelineMaxRecords = try pipeline.int("max_records", in: 1...100_000_000) ?? pipelineMaxRecords
        }
    }
}

/// `[inputs.syslog_udp]`: syslog (RFC 5424, RFC 3164 and variants) over UDP.
public struct SyslogUDPConfiguration: Sendable, Equatable, ConfigDecodable {
    public var enabled = true
    public var listen = [ListenAddress(host: "127.0.0.1", port: 5514)]
    /// The socket receive buffer asked for, in bytes.
    public var receiveBuffer: Int64 = 8 << 20
    /// The zone RFC 3164 timestamps are read in (an IANA name such as `Europe/Berlin`, or `UTC`).
    public var timeZone = "UTC"

    public init() {}

    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        listen = try table.listenAddresses("listen") ?? listen
        receiveBuffer = try table.byteSize("receive_buffer", atLeast: 4096) ?? receiveBuffer
        timeZone = try table.timeZone("timezone") ?? timeZone
    }
}

/// `[inputs.syslog_tcp]`: syslog over TCP, framed per RFC 6587 (octet counting, or one message per
/// line), as rsyslog's omfwd, syslog-ng and `logger -T` send it. Off by default.
public struct SyslogTCPConfiguration: Sendable, Equatable, ConfigDecodable {
    public var enabled = false
    public var listen = [ListenAddress(host: "127.0.0.1", port: 5514)]
    /// The zone RFC 3164 timestamps are read in.
    public var timeZone = "UTC"
    /// Longer messages are cut here and stored with `truncated = "true"`.
    public var maxMessageBytes: Int64 = 64 << 10
    /// Connections open at once (rsyslog's imtcp `MaxSessions`); more are closed at once.
    public var maxConnections = 200

    public init() {}

    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        listen = try table.listenAddresses("listen") ?? listen
        timeZone = try table.timeZone("timezone") ?? timeZone
        maxMessageBytes = try table.byteSize("max_message_bytes", atLeast: 480) ?? maxMessageBytes
        maxConnections = try table.int("max_connections", in: 1...100_000) ?? maxConnections
    }
}

extension ConfigTable {
    /// An IANA time zone name (`Europe/Berlin`, `UTC`), checked to exist.
    func timeZone(_ key: String) throws(ConfigError) -> String? {
        guard let zone = try string(key) else { return nil }
        guard TimeZone(identifier: zone) != nil else {
            throw invalid(key, "unknown time zone \"\(zone)\" (expected an IANA name such as \"Europe/Berlin\")")
        }
        return zone
    }
}

/// `[inputs.journald]`: the systemd journal, through libsystemd's sd_journal.
public struct JournaldConfiguration: Sendable, Equatable, ConfigDecodable {
    /// Journal fields kept by default, besides those mapped to the record itself.
    public static let defaultFields = ["_PID", "_UID", "_COMM", "_EXE", "_SYSTEMD_UNIT", "_TRANSPORT", "_BOOT_ID", "SYSLOG_FACILITY"]

    public var enabled = true
    /// A journal directory to read instead of the local journal; empty for the local journal.
    public var directory = ""
    /// Journal files to read instead of the local journal.
    public var files: [String] = []
    /// Journal fields kept as record fields (MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, _HOSTNAME and the
    /// timestamps always map to the record).
    public var fields = JournaldConfiguration.defaultFields
    /// Entries read per append.
    public var batchSize = 1024

    public init() {}

    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        directory = try table.string("directory") ?? directory
        files = try table.stringArray("files") ?? files
        if !directory.isEmpty, !files.isEmpty {
            throw table.invalid("files", "set either directory or files, not both")
        }
        fields = try table.stringArray("fields") ?? fields
        batchSize = try table.int("batch_size", in: 1...65536) ?? batchSize
    }
}

/// `[inputs.http]`: JSON logs posted to `/v1/logs` (also serves `/healthz` and `/metrics`).
public struct HTTPInputConfiguration: Sendable, Equatable, ConfigDecodable {
    public var enabled = true
    public var listen = ListenAddress(host: "127.0.0.1", port: 8080)
    /// Larger bodies (after decompression) are refused with 413.
    public var maxBodyBytes: Int64 = 10 << 20
    /// Accepted bearer tokens; empty means no authentication.
    public var tokens: [String] = []
    /// How long a request waits for room (a turn to be decoded, then room in the pipeline) before
    /// it is answered 503, nanoseconds.
    public var queueWait: Int64 = 1_000_000_000
    /// Requests decoded and waiting for durability at once; the others wait for a turn holding
    /// only their body, which bounds the memory of many concurrent posters.
    public var maxActiveRequests = 4
    /// Timeouts and the connection cap.
    public var connections = HTTPConnectionLimits()
    /// Proxies whose `X-Forwarded-For` names the client (`source_ip`).
    public var trustedProxies: [AddressRange] = []

    public init() {}

    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        listen = try table.listenAddress("listen") ?? listen
        connections = try HTTPConnectionLimits(table: table)
        for text in try table.stringArray("trusted_proxies") ?? [] {
            guard let range = AddressRange(text) else {
                throw table.invalid("trusted_proxies", "expected an IP address or a CIDR range (\"10.0.0.0/8\"), got \"\(text)\"")
            }
            trustedProxies.append(range)
        }
        maxBodyBytes = try table.byteSize("max_body_bytes", atLeast: 1024) ?? maxBodyBytes
        tokens = try table.stringArray("tokens") ?? tokens
        if tokens.contains(where: \.isEmpty) { throw table.invalid("tokens", "a token must not be empty") }
        queueWait = try table.duration("queue_wait") ?? queueWait
        maxActiveRequests = try table.int("max_active_requests", in: 1...1024) ?? maxActiveRequests
    }
}
