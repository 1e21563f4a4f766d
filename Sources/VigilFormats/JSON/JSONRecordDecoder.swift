import VigilCore

/// Maps a JSON log object to a ``LogRecord``.
///
/// The object is flattened by ``FlatJSONParser``; then well-known keys become record attributes and
/// are removed from `fields`. For each attribute the candidate keys are tried in the order below and
/// the first one present (and, for time and severity, understood) is used:
///
/// | attribute | keys | notes |
/// |---|---|---|
/// | `time` | `time`, `timestamp`, `@timestamp`, `ts` | RFC 3339 text or an epoch number (string or JSON number) in s, ms, µs or ns, told apart by magnitude; missing or not understood → the receive time, and a value not understood stays in `fields` |
/// | `message` | `message`, `msg`, `log` | missing → empty message |
/// | `severity` | `level`, `severity`, `lvl` | syslog names and common aliases (`error`, `WARN`, `fatal`, `trace`…), syslog numbers 0–7, and the pino/bunyan numbers 10–60; missing → `info`; not understood → `info`, and the value stays in `fields` |
/// | `service` | `service` | |
/// | `host` | `host`, `hostname` | |
///
/// Every other key stays in `fields`, as do candidates that lost to an earlier one (with both
/// `message` and `msg`, `msg` stays a field). Only top-level keys count: `{"service":{"name":"x"}}`
/// yields the field `service.name`, not a service. Times outside 1678–2261 (which do not fit in
/// `Int64` nanoseconds) count as not understood.
public struct JSONRecordDecoder: Sendable {
    /// Keys holding the event time, in order of preference.
    public static let timeKeys = ["time", "timestamp", "@timestamp", "ts"]
    /// Keys holding the message, in order of preference.
    public static let messageKeys = ["message", "msg", "log"]
    /// Keys holding the level, in order of preference.
    public static let severityKeys = ["level", "severity", "lvl"]
    /// Keys holding the service name.
    public static let serviceKeys = ["service"]
    /// Keys holding the host name, in order of preference.
    public static let hostKeys = ["host", "hostname"]

    /// The parser used by ``decode(_:receivedAt:)``.
    public var parser: FlatJSONParser

    public init(parser: FlatJSONParser = FlatJSONParser()) {
        self.parser = parser
    }

    /// Parses one JSON object and maps it to a record. The well-known keys are picked out while
    /// parsing, so they never enter the fields dictionary.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>, receivedAt: Int64) throws(JSONParseError) -> LogRecord {
        var repaired = 0
        return try decode(bytes, receivedAt: receivedAt, repaired: &repaired)
    }

    /// `decode(_:receivedAt:)`, adding the invalid bytes it replaced (when the parser repairs) to
    /// `repaired`.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>, receivedAt: Int64, repaired: inout Int) throws(JSONParseError) -> LogRecord {
        var scanner = parser.scanner(bytes)
        defer { repaired += scanner.repairedBytes }
        var sink = WellKnownKeys()
        try scanner.parseTopLevelObject(into: &sink)
        try scanner.expectEnd()
        return sink.record(receivedAt: receivedAt)
    }

    /// Maps an already flattened object to a record (see the type's documentation for the rules).
    public func record(from object: [String: String], receivedAt: Int64) -> LogRecord {
        var sink = WellKnownKeys()
        sink.fields = LogFields(object)
        for (slot, key) in WellKnownKeys.names.enumerated() {
            if let value = sink.fields.removeValue(forKey: key) { sink.setSlot(slot, to: value) }
        }
        return sink.record(receivedAt: receivedAt)
    }

    /// An RFC 3339 time (the whole text) or an epoch number in s/ms/µs/ns.
    static func parseTime(_ text: String) -> Int64? {
        guard let first = text.utf8.first else { return nil }
        if text.utf8.count >= 19, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            var copy = text
            let parsed = copy.withUTF8 { bytes -> Int64? in
                guard let (nanos, length) = TimestampParser.parseRFC3339(bytes), length == bytes.count else { return nil }
                return nanos
            }
            if let parsed { return parsed }
        }
        return TimestampParser.parseEpoch(text)
    }

    /// A level name, syslog number 0–7, or pino/bunyan number (10 trace … 60 fatal).
    static func parseSeverity(_ text: String) -> Severity? {
        if let severity = Severity(parsing: text) { return severity }
        switch text {
        case "10", "20": return .debug
        case "30": return .info
        case "40": return .warning
        case "50": return .err
        case "60": return .crit
        default: return nil
        }
    }
}

/// The flattening sink behind ``JSONRecordDecoder``: the thirteen well-known top-level keys go to
/// slots (recognised from their bytes, without hashing), everything else to `fields`.
struct WellKnownKeys: FlatJSONSink {
    /// Slot order: time keys, message keys, severity keys, service keys, host keys — each group in
    /// order of preference, as in ``JSONRecordDecoder``'s key lists.
    static let names = JSONRecordDecoder.timeKeys + JSONRecordDecoder.messageKeys + JSONRecordDecoder.severityKeys
        + JSONRecordDecoder.serviceKeys + JSONRecordDecoder.hostKeys
    static let timeSlots = 0..<4
    static let messageSlots = 4..<7
    static let severitySlots = 7..<10
    static let serviceSlots = 10..<11
    static let hostSlots = 11..<13

    var fields = LogFields()
    private var s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12: String?

    func slot(forTopLevelKey key: UnsafeBufferPointer<UInt8>) -> Int {
        @inline(__always) func equals(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == key.count
                && memcmpEqual(UnsafeBufferPointer(start: literal.utf8Start, count: key.count), key)
        }
        switch key.count {
        case 2: return equals("ts") ? 3 : -1
        case 3: return equals("msg") ? 5 : equals("log") ? 6 : equals("lvl") ? 9 : -1
        case 4: return equals("time") ? 0 : equals("host") ? 11 : -1
        case 5: return equals("level") ? 7 : -1
        case 7: return equals("message") ? 4 : equals("service") ? 10 : -1
        case 8: return equals("severity") ? 8 : equals("hostname") ? 12 : -1
        case 9: return equals("timestamp") ? 1 : -1
        case 10: return equals("@timestamp") ? 2 : -1
        default: return -1
        }
    }

    @inline(__always)
    private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    subscript(slot: Int) -> String? {
        get {
            switch slot {
            case 0: s0
            case 1: s1
            case 2: s2
            case 3: s3
            case 4: s4
            case 5: s5
            case 6: s6
            case 7: s7
            case 8: s8
            case 9: s9
            case 10: s10
            case 11: s11
            default: s12
            }
        }
        set {
            switch slot {
            case 0: s0 = newValue
            case 1: s1 = newValue
            case 2: s2 = newValue
            case 3: s3 = newValue
            case 4: s4 = newValue
            case 5: s5 = newValue
            case 6: s6 = newValue
            case 7: s7 = newValue
            case 8: s8 = newValue
            case 9: s9 = newValue
            case 10: s10 = newValue
            case 11: s11 = newValue
            default: s12 = newValue
            }
        }
    }

    mutating func setSlot(_ slot: Int, to value: String) { self[slot] = value }

    mutating func setField(_ key: String, to value: String) { fields[key] = value }

    /// Most log objects carry a time, a level, a message and a service, which become record
    /// attributes rather than fields: reserving for all members would give records field arrays
    /// larger than they need, and records wait in memory until they are durable.
    mutating func reserveFields(_ count: Int) { fields.reserveCapacity(max(0, count - 4)) }

    /// Applies ``JSONRecordDecoder``'s rules to the captured values.
    mutating func record(receivedAt: Int64) -> LogRecord {
        var time = receivedAt
        for slot in Self.timeSlots {
            if let text = self[slot], let parsed = JSONRecordDecoder.parseTime(text) {
                time = parsed
                self[slot] = nil
                break
            }
        }
        var severity = Severity.info
        for slot in Self.severitySlots {
            guard let text = self[slot] else { continue }
            if let parsed = JSONRecordDecoder.parseSeverity(text) {
                severity = parsed
                self[slot] = nil
            }
            break
        }
        let message = take(Self.messageSlots) ?? ""
        let service = take(Self.serviceSlots) ?? ""
        let host = take(Self.hostSlots) ?? ""
        // Candidates not used (unparsed times and levels, losers of a precedence) stay fields.
        for slot in 0..<Self.names.count {
            if let value = self[slot] { fields[Self.names[slot]] = value }
        }
        return LogRecord(
            time: time, receivedAt: receivedAt, host: host, service: service, severity: severity, message: message,
            fields: fields)
    }

    private mutating func take(_ slots: Range<Int>) -> String? {
        for slot in slots {
            if let value = self[slot] {
                self[slot] = nil
                return value
            }
        }
        return nil
    }
}
