import VigilCore
import VigilDetect

/// Where an incident's records are in the store: an event-time range and a filter that select
/// them again (`vigil query` and `GET /v1/incidents/{id}/logs` read them back), plus up to
/// `[detectors] evidence` of the records themselves, newest kept.
public struct IncidentEvidence: Sendable, Hashable {
    /// Start of the range, event time (ns).
    public var since: Int64
    /// End of the range, event time (ns).
    public var until: Int64
    /// Services (exact or glob) the records have; empty for any.
    public var services: [String]
    /// Hosts (exact or glob); empty for any.
    public var hosts: [String]
    /// Severity at or above, if the detector counted only those.
    public var minimumSeverity: Severity?
    /// A PCRE2 pattern the message matches, if the rule had one.
    public var messagePattern: String?
    /// Fields that must equal a value.
    public var fields: [GroupValue]
    /// Some of the records, oldest first.
    public var records: [EvidenceRecord]
    /// Why the latest statistical signal fired: observed and expected values and the normal band.
    public var explanation: SignalExplanation?

    /// Creates evidence.
    public init(
        since: Int64, until: Int64, services: [String] = [], hosts: [String] = [], minimumSeverity: Severity? = nil,
        messagePattern: String? = nil, fields: [GroupValue] = [], records: [EvidenceRecord] = [],
        explanation: SignalExplanation? = nil
    ) {
        self.since = since
        self.until = until
        self.services = services
        self.hosts = hosts
        self.minimumSeverity = minimumSeverity
        self.messagePattern = messagePattern
        self.fields = fields
        self.records = records
        self.explanation = explanation
    }

    /// This evidence widened to `other`'s range and records, keeping the newest `limit` records and
    /// the newer explanation; the filter stays this one's (the incident's own).
    public func merging(_ other: IncidentEvidence, limit: Int) -> IncidentEvidence {
        var merged = self
        merged.since = min(since, other.since)
        merged.until = max(until, other.until)
        merged.records = Self.newest(records + other.records, limit: limit)
        merged.explanation = other.explanation ?? explanation
        return merged
    }

    /// `records` by time, duplicates removed, the newest `limit` of them, oldest first. Records are
    /// compared whole only when their times are equal, so a repeat costs a sort of a dozen times.
    static func newest(_ records: [EvidenceRecord], limit: Int) -> [EvidenceRecord] {
        let sorted = records.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var unique: [EvidenceRecord] = []
        unique.reserveCapacity(sorted.count)
        for record in sorted {
            var duplicate = false
            for earlier in unique.reversed() {
                guard earlier.time == record.time else { break }
                if earlier == record {
                    duplicate = true
                    break
                }
            }
            if !duplicate { unique.append(record) }
        }
        return Array(unique.suffix(max(0, limit)))
    }

    /// `vigil query …`, quoted for a shell: the command that prints these records.
    public var queryCommand: String {
        (["vigil", "query"] + queryArguments).map(ShellQuoting.quoted).joined(separator: " ")
    }

    /// The `vigil query` arguments that print these records from the store.
    public var queryArguments: [String] {
        var arguments = [
            "--since", TimeFormatter.rfc3339(since, fractionDigits: 9), "--until", TimeFormatter.rfc3339(until, fractionDigits: 9),
        ]
        for service in services { arguments += ["-u", service] }
        for host in hosts { arguments += ["-H", host] }
        if let minimumSeverity { arguments += ["-p", minimumSeverity.name] }
        if let messagePattern { arguments += ["-g", messagePattern, "--case-sensitive"] }
        for field in fields { arguments += ["-F", "\(field.name)=\(field.value)"] }
        return arguments
    }
}

/// One record that caused a signal: enough to find it in the store and to show it.
public struct EvidenceRecord: Sendable, Hashable {
    /// Event time, ns.
    public var time: Int64
    /// The record's host.
    public var host: String
    /// The record's service.
    public var service: String
    /// The record's severity.
    public var severity: Severity
    /// The message, cut to `Evidence.maximumMessageBytes`.
    public var message: String

    /// Creates a reference.
    public init(time: Int64, host: String, service: String, severity: Severity, message: String) {
        self.time = time
        self.host = host
        self.service = service
        self.severity = severity
        self.message = message
    }

    /// The detector's copy of a record.
    public init(_ evidence: Evidence) {
        self.init(
            time: evidence.time, host: evidence.host, service: evidence.service, severity: evidence.severity,
            message: evidence.message)
    }
}
