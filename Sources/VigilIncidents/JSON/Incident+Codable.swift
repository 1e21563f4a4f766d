import VigilCore
import VigilDetect

/// The JSON form of an incident, as the API serves it and the timeline stores it: snake_case keys,
/// times as RFC 3339 text with nanoseconds, and `reference` (`INC-42`) beside `number`.
extension Incident: Codable {
    enum CodingKeys: String, CodingKey {
        case id, number, reference, title, severity, status, fingerprint, detector, name, labels
        case firstSeen = "first_seen", lastSeen = "last_seen", openedAt = "opened_at"
        case acknowledgedAt = "acknowledged_at", acknowledgedBy = "acknowledged_by"
        case resolvedAt = "resolved_at", resolvedBy = "resolved_by"
        case signalCount = "signal_count", flapCount = "flap_count", assignee
        case mergedInto = "merged_into", evidence, updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), number: try c.decode(Int.self, forKey: .number),
            title: try c.decode(String.self, forKey: .title),
            severity: try c.decode(IncidentSeverity.self, forKey: .severity),
            status: try c.decode(IncidentStatus.self, forKey: .status),
            fingerprint: try c.decode(String.self, forKey: .fingerprint),
            detector: try c.decode(String.self, forKey: .detector), name: try c.decode(String.self, forKey: .name),
            labels: try c.decode(LabelList.self, forKey: .labels).labels,
            firstSeen: try c.decodeTime(.firstSeen), lastSeen: try c.decodeTime(.lastSeen),
            openedAt: try c.decodeTime(.openedAt), acknowledgedAt: try c.decodeTimeIfPresent(.acknowledgedAt),
            acknowledgedBy: try c.decodeIfPresent(String.self, forKey: .acknowledgedBy),
            resolvedAt: try c.decodeTimeIfPresent(.resolvedAt),
            resolvedBy: try c.decodeIfPresent(String.self, forKey: .resolvedBy),
            signalCount: try c.decode(Int.self, forKey: .signalCount), flapCount: try c.decode(Int.self, forKey: .flapCount),
            assignee: try c.decodeIfPresent(String.self, forKey: .assignee),
            mergedInto: try c.decodeIfPresent(String.self, forKey: .mergedInto),
            evidence: try c.decode(IncidentEvidence.self, forKey: .evidence), updatedAt: try c.decodeTime(.updatedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(number, forKey: .number)
        try c.encode(reference, forKey: .reference)
        try c.encode(title, forKey: .title)
        try c.encode(severity, forKey: .severity)
        try c.encode(status, forKey: .status)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(detector, forKey: .detector)
        try c.encode(name, forKey: .name)
        try c.encode(LabelList(labels), forKey: .labels)
        try c.encodeTime(firstSeen, .firstSeen)
        try c.encodeTime(lastSeen, .lastSeen)
        try c.encodeTime(openedAt, .openedAt)
        try c.encodeTime(acknowledgedAt, .acknowledgedAt)
        try c.encode(acknowledgedBy, forKey: .acknowledgedBy)
        try c.encodeTime(resolvedAt, .resolvedAt)
        try c.encode(resolvedBy, forKey: .resolvedBy)
        try c.encode(signalCount, forKey: .signalCount)
        try c.encode(flapCount, forKey: .flapCount)
        try c.encode(assignee, forKey: .assignee)
        try c.encode(mergedInto, forKey: .mergedInto)
        try c.encode(evidence, forKey: .evidence)
        try c.encodeTime(updatedAt, .updatedAt)
    }
}

extension IncidentEvidence: Codable {
    enum CodingKeys: String, CodingKey {
        case since, until, services, hosts, minimumSeverity = "min_severity", message, fields, records, query, explanation
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var severity: Severity?
        if let name = try c.decodeIfPresent(String.self, forKey: .minimumSeverity) {
            guard let parsed = Severity(parsing: name) else {
                throw DecodingError.dataCorruptedError(forKey: .minimumSeverity, in: c, debugDescription: "unknown severity \(name)")
            }
            severity = parsed
        }
        self.init(
            since: try c.decodeTime(.since), until: try c.decodeTime(.until),
            services: try c.decodeIfPresent([String].self, forKey: .services) ?? [],
            hosts: try c.decodeIfPresent([String].self, forKey: .hosts) ?? [], minimumSeverity: severity,
            messagePattern: try c.decodeIfPresent(String.self, forKey: .message),
            fields: try c.decodeIfPresent(LabelList.self, forKey: .fields)?.labels ?? [],
            records: try c.decodeIfPresent([EvidenceRecord].self, forKey: .records) ?? [],
            explanation: try c.decodeIfPresent(SignalExplanation.self, forKey: .explanation))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeTime(since, .since)
        try c.encodeTime(until, .until)
        try c.encode(services, forKey: .services)
        try c.encode(hosts, forKey: .hosts)
        try c.encode(minimumSeverity?.name, forKey: .minimumSeverity)
        try c.encode(messagePattern, forKey: .message)
        try c.encode(LabelList(fields), forKey: .fields)
        try c.encode(records, forKey: .records)
        try c.encode(queryCommand, forKey: .query)
        try c.encodeIfPresent(explanation, forKey: .explanation)
    }
}

extension EvidenceRecord: Codable {
    enum CodingKeys: String, CodingKey { case time, host, service, severity, message }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .severity)
        guard let severity = Severity(parsing: name) else {
            throw DecodingError.dataCorruptedError(forKey: .severity, in: c, debugDescription: "unknown severity \(name)")
        }
        self.init(
            time: try c.decodeTime(.time), host: try c.decode(String.self, forKey: .host),
            service: try c.decode(String.self, forKey: .service), severity: severity,
            message: try c.decode(String.self, forKey: .message))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeTime(time, .time)
        try c.encode(host, forKey: .host)
        try c.encode(service, forKey: .service)
        try c.encode(severity.name, forKey: .severity)
        try c.encode(message, forKey: .message)
    }
}

/// Group-key labels as a JSON object in key order (`{"service":"api"}`); a list of pairs in Swift
/// because the order is part of the fingerprint.
public struct LabelList: Codable, Sendable {
    /// The labels, in group-by order.
    public var labels: [GroupValue]

    /// Wraps labels for coding.
    public init(_ labels: [GroupValue]) { self.labels = labels }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        // JSON objects have no order; decoded labels are sorted by name.
        labels = try c.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
            GroupValue(name: $0.stringValue, value: try c.decode(String.self, forKey: $0))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for label in labels { try c.encode(label.value, forKey: Key(stringValue: label.name)) }
    }
}

extension KeyedDecodingContainer {
    /// An RFC 3339 time (nanoseconds kept).
    func decodeTime(_ key: Key) throws -> Int64 {
        let text = try decode(String.self, forKey: key)
        guard let time = TimestampParser.parseRFC3339(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an RFC 3339 time: \(text)")
        }
        return time
    }

    func decodeTimeIfPresent(_ key: Key) throws -> Int64? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeTime(key)
    }
}

extension KeyedEncodingContainer {
    /// Writes an RFC 3339 time with nanoseconds, or `null`.
    mutating func encodeTime(_ time: Int64?, _ key: Key) throws {
        if let time {
            try encode(VigilTime.rfc3339(time), forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }
}
