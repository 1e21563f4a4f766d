/// One log record, the unit every input produces and the store keeps.
///
/// Times are nanoseconds since the Unix epoch (UTC). `time` is the event time the source
/// reported; when the source has none it is the receive time.
public struct LogRecord: Sendable, Hashable {
    /// Event time, nanoseconds since the epoch.
    public var time: Int64
    /// When Vigil received the record, nanoseconds since the epoch.
    public var receivedAt: Int64
    /// The originating host (syslog HOSTNAME, journald `_HOSTNAME`, JSON `host`); empty when unknown.
    public var host: String
    /// The emitting service (syslog APP-NAME/tag, journald `SYSLOG_IDENTIFIER`, JSON `service`); empty when unknown.
    public var service: String
    /// Syslog severity; sources without one default to `notice` (syslog) or `info` (JSON).
    public var severity: Severity
    /// Syslog facility, where the source has one.
    public var facility: Facility?
    /// The human-readable message.
    public var message: String
    /// Everything else the source carried, as a flat map (structured data, JSON keys, journald fields).
    public var fields: LogFields
    /// True when the source's bytes could not be parsed: `message` then holds them unchanged.
    public var isRaw: Bool

    public init(
        time: Int64,
        receivedAt: Int64? = nil,
        host: String = "",
        service: String = "",
        severity: Severity = .info,
        facility: Facility? = nil,
        message: String,
        fields: LogFields = [:],
        isRaw: Bool = false
    ) {
        self.time = time
        self.receivedAt = receivedAt ?? time
        self.host = host
        self.service = service
        self.severity = severity
        self.facility = facility
        self.message = message
        self.fields = fields
        self.isRaw = isRaw
    }
}
