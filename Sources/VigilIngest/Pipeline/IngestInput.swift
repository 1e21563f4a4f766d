/// The inputs records come from; the value is the `input` label of the ingest metrics.
public enum IngestInput: String, Sendable, CaseIterable {
    case syslogUDP = "syslog_udp"
    case syslogTCP = "syslog_tcp"
    case journald
    case http
    case nats
}
