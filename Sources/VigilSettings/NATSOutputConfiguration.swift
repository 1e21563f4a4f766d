import Foundation
import VigilCore
import VigilIngest

/// `[outputs.nats]`: fleet mode's forwarder. An edge vigild sends every committed block of its
/// store to a JetStream stream, once JetStream acknowledged the one before; the local store is the
/// spool, so an outage or a restart resumes where the acknowledgements stopped.
///
///     [outputs.nats]
///     url = "nats://central.example.com:4222"
///     subject = "vigil.logs.{host}"   # {host}: this machine's name (or `host` below)
///     stream = "VIGIL_LOGS"           # made when missing, for subjects "vigil.logs.>"
///     max_bytes = "50GiB"             # the stream's limits when this vigild makes it (-1: none)
///     max_age = "7d"                  # (0: none)
///     duplicate_window = "2m"         # JetStream's de-duplication by message id
///     start_at = "oldest"             # a first start sends the whole store; "newest": only new records
///     max_in_flight = 32              # publishes waiting for their acknowledgement at most
///     max_message_bytes = "1MiB"      # larger blocks are split (the server's max_payload caps it too)
///     host = ""                       # the edge's name in subjects and headers; default the hostname
public struct NATSOutputConfiguration: Sendable, Equatable {
    public enum StartAt: String, Sendable {
        case oldest, newest
    }

    public var enabled = false
    public var connection = NATSSettings()
    public var subject = "vigil.logs.{host}"
    public var stream = "VIGIL_LOGS"
    public var maxBytes: Int64 = -1
    public var maxAge: Int64 = 0
    public var duplicateWindow: Int64 = 120_000_000_000
    public var startAt = StartAt.oldest
    public var maxInFlight = 32
    public var maxMessageBytes = 1 << 20
    /// The edge's name; nil for the hostname.
    public var host: String?

    public init() {}

    /// Reads `[outputs.nats]`; it is enabled unless it says `enabled = false`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? true
        connection = try NATSSettings(table: table)
        if let subject = try table.string("subject") {
            let probe = subject.replacingOccurrences(of: "{host}", with: "h")
            guard !probe.isEmpty, !probe.hasPrefix("."), !probe.hasSuffix("."), !probe.contains(".."),
                !probe.contains(where: { " \t*>".contains($0) })
            else { throw table.invalid("subject", "\"\(subject)\" is not a NATS subject (dot-separated tokens, no spaces or wildcards)") }
            self.subject = subject
        }
        if let stream = try table.string("stream") {
            guard NATSNames.isValid(stream) else { throw table.invalid("stream", "\"\(stream)\" is not a JetStream name (no dots, spaces, *, > or slashes)") }
            self.stream = stream
        }
        if let value = table.value("max_bytes"), case .integer(-1) = value.kind {
            maxBytes = -1
        } else {
            maxBytes = try table.byteSize("max_bytes", atLeast: 1 << 20) ?? maxBytes
        }
        maxAge = try table.duration("max_age") ?? maxAge
        duplicateWindow = try table.duration("duplicate_window", atLeast: 1_000_000_000) ?? duplicateWindow
        startAt = try table.choice("start_at", ["oldest": StartAt.oldest, "newest": .newest]) ?? startAt
        maxInFlight = try table.int("max_in_flight", in: 1...1024) ?? maxInFlight
        maxMessageBytes = Int(try table.byteSize("max_message_bytes", atLeast: 64 << 10) ?? Int64(maxMessageBytes))
        if let host = try table.string("host"), !host.isEmpty { self.host = host }
    }

    /// The subjects of a stream this forwarder makes: `subject` with `{host}` as a wildcard.
    public var streamSubjects: [String] {
        guard subject.contains("{host}") else { return [subject] }
        return [subject.hasSuffix("{host}") ? String(subject.dropLast("{host}".count)) + ">" : subject.replacingOccurrences(of: "{host}", with: "*")]
    }

    /// The subject for the edge `host`: characters a subject token cannot hold become `_` (dots are
    /// kept, so `web1.example.com` is three tokens, which `vigil.logs.>` matches).
    public func subject(forHost host: String) -> String {
        let token = String(host.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        let clean = token.split(separator: ".", omittingEmptySubsequences: true).joined(separator: ".")
        return subject.replacingOccurrences(of: "{host}", with: clean.isEmpty ? "_" : clean)
    }
}
