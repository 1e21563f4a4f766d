import VigilCore
import VigilDetect
import VigilFormats

/// Writes incidents and timeline events as JSON bytes, by hand: the same text `JSONEncoder` with
/// sorted keys gives for their `Codable` form (a test checks it), several times faster, because a
/// signal storm writes one row and possibly one event per incident and batch.
public struct IncidentJSONWriter {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// An empty writer.
    public init() {
        bytes.reserveCapacity(2048)
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Values

    /// `{"acknowledged_at":…,…,"updated_at":…}`; `note` adds the key `note` (timeline events).
    public mutating func incident(_ incident: Incident, note: IncidentNote? = nil) {
        begin()
        key("acknowledged_at", first: true)
        time(incident.acknowledgedAt)
        key("acknowledged_by")
        string(incident.acknowledgedBy)
        key("assignee")
        string(incident.assignee)
        key("detector")
        string(incident.detector)
        key("evidence")
        evidence(incident.evidence)
        key("fingerprint")
        string(incident.fingerprint)
        key("first_seen")
        time(incident.firstSeen)
        key("flap_count")
        integer(incident.flapCount)
        key("id")
        string(incident.id)
        key("labels")
        labels(incident.labels)
        key("last_seen")
        time(incident.lastSeen)
        key("merged_into")
        string(incident.mergedInto)
        key("name")
        string(incident.name)
        if let note {
            key("note")
            self.note(note)
        }
        key("number")
        integer(incident.number)
        key("opened_at")
        time(incident.openedAt)
        key("reference")
        string(incident.reference)
        key("resolved_at")
        time(incident.resolvedAt)
        key("resolved_by")
        string(incident.resolvedBy)
        key("severity")
        string(incident.severity.rawValue)
        key("signal_count")
        integer(incident.signalCount)
        key("status")
        string(incident.status.rawValue)
        key("title")
        string(incident.title)
        key("updated_at")
        time(incident.updatedAt)
        end()
    }

    /// The evidence object, with its `query` command line unless `withQuery` is false (the stored
    /// row leaves it out: it is derived from the rest).
    public mutating func evidence(_ evidence: IncidentEvidence, withQuery: Bool = true) {
        begin()
        if let explanation = evidence.explanation {
            key("explanation", first: true)
            self.explanation(explanation)
            key("fields")
        } else {
            key("fields", first: true)
        }
        labels(evidence.fields)
        key("hosts")
        strings(evidence.hosts)
        key("message")
        string(evidence.messagePattern)
        key("min_severity")
        string(evidence.minimumSeverity?.name)
        if withQuery {
            key("query")
            string(evidence.queryCommand)
        }
        key("records")
        bytes.append(UInt8(ascii: "["))
        for (index, record) in evidence.records.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            self.record(record)
        }
        bytes.append(UInt8(ascii: "]"))
        key("services")
        strings(evidence.services)
        key("since")
        time(evidence.since)
        key("until")
        time(evidence.until)
        end()
    }

    /// A statistical signal's explanation: `{"expected", "lower", "measure", "observed",
    /// "parameters": {name: value}, "upper"}`.
    public mutating func explanation(_ explanation: SignalExplanation) {
        begin()
        key("expected", first: true)
        number(explanation.expected)
        key("lower")
        number(explanation.lower)
        key("measure")
        string(explanation.measure)
        key("observed")
        number(explanation.observed)
        key("parameters")
        begin()
        for (index, parameter) in explanation.parameters.enumerated() {
            key(parameter.name, first: index == 0)
            string(parameter.value)
        }
        end()
        key("upper")
        number(explanation.upper)
        end()
    }

    /// One evidence record.
    public mutating func record(_ record: EvidenceRecord) {
        begin()
        key("host", first: true)
        string(record.host)
        key("message")
        string(record.message)
        key("service")
        string(record.service)
        key("severity")
        string(record.severity.name)
        key("time")
        time(record.time)
        end()
    }

    /// `{"author":…,"text":…,"time":…}`.
    public mutating func note(_ note: IncidentNote) {
        begin()
        key("author", first: true)
        string(note.author)
        key("text")
        string(note.text)
        key("time")
        time(note.time)
        end()
    }

    /// Labels as an object with sorted keys (the first of equal names wins, as in a dictionary).
    public mutating func labels(_ labels: [GroupValue]) {
        var seen = Set<String>()
        let unique = labels.filter { seen.insert($0.name).inserted }.sorted { $0.name < $1.name }
        bytes.append(UInt8(ascii: "{"))
        for (index, label) in unique.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONEscaping.append(label.name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONEscaping.append(label.value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    // MARK: Pieces

    /// `{`: an object begins.
    public mutating func begin() {
        bytes.append(UInt8(ascii: "{"))
    }

    /// `}`: the object ends.
    public mutating func end() {
        bytes.append(UInt8(ascii: "}"))
    }

    /// `"name":`, after a comma unless it is the object's first member.
    public mutating func key(_ name: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// A string literal, or `null`.
    public mutating func string(_ value: String?) {
        guard let value else { return null() }
        JSONEscaping.append(value, to: &bytes)
    }

    /// `["a","b"]`.
    public mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONEscaping.append(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An RFC 3339 time in UTC with nanoseconds (`VigilTime.rfc3339`'s text, written digit by
    /// digit: evidence holds several times), or `null`.
    public mutating func time(_ nanos: Int64?) {
        guard let nanos else { return null() }
        let c = CivilTime.components(nanos)
        guard (0...9999).contains(c.year) else {
            return string(VigilTime.rfc3339(nanos))
        }
        bytes.append(UInt8(ascii: "\""))
        digits(c.year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(c.month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(c.day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(c.hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(c.minute, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(c.second, 2)
        bytes.append(UInt8(ascii: "."))
        digits(c.nanosecond, 9)
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    /// `value` in `width` decimal digits, zero-padded.
    private mutating func digits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// A number as `JSONEncoder` writes it (`412`, not `412.0`); `null` when not finite.
    public mutating func number(_ value: Double) {
        guard value.isFinite else { return null() }
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// A decimal integer.
    public mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Bytes that already are JSON.
    public mutating func raw(_ json: some Sequence<UInt8>) {
        bytes.append(contentsOf: json)
    }

    /// `null`.
    public mutating func null() {
        bytes.append(contentsOf: "null".utf8)
    }
}
