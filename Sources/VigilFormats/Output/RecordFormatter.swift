import Foundation
import VigilCore

/// Renders records for `vigil query`, in journalctl's output modes.
public struct RecordFormatter {
    /// The output modes (`-o`).
    public enum Mode: String, Sendable, CaseIterable {
        /// `Nov 23 09:17:15 host service[pid]: message`, local time.
        case short
        /// `2026-11-23T09:17:15+01:00 host service[pid]: message`.
        case shortISO = "short-iso"
        /// The same with microseconds: `2026-11-23T09:17:15.123456+01:00 …`.
        case shortPrecise = "short-precise"
        /// One JSON object per line with every field.
        case json
        /// The same object indented over several lines, a blank line after each.
        case jsonPretty = "json-pretty"
        /// The full time, then every field on its own indented line (`    MESSAGE=…`).
        case verbose
        /// journald's export format: `KEY=value` lines, a blank line after each record; a value
        /// holding a newline is written as the key, a newline, its length (64-bit little-endian)
        /// and its bytes.
        case export
        /// The message only.
        case cat

        /// The names of the record fields this mode prints; nil when it prints them all.
        public var fieldsPrinted: Set<String>? {
            switch self {
            case .short, .shortISO, .shortPrecise: ["pid"]
            case .cat: []
            case .json, .jsonPretty, .verbose, .export: nil
            }
        }
    }

    public let mode: Mode
    /// Print times in UTC instead of the local zone.
    public let utc: Bool
    /// Print stored text as it is, control characters included (`-a`); otherwise the text modes
    /// escape them (see ``TerminalText``).
    public let raw: Bool
    private let zone: ZoneOffsets
    private var offsetHour: Int64 = .min
    private var offset = 0

    /// Times print in `zone` (the system's local zone unless told), or in UTC with `utc`.
    public init(mode: Mode, utc: Bool = false, zone: ZoneOffsets = .system, raw: Bool = false) {
        self.mode = mode
        self.utc = utc
        self.raw = raw
        self.zone = utc ? .utc : zone
    }

    private mutating func localOffset(_ nanos: Int64) -> Int {
        let hour = nanos / 3_600_000_000_000
        if hour != offsetHour {
            offsetHour = hour
            offset = zone.secondsEastOfUTC(atEpochSeconds: nanos / 1_000_000_000)
        }
        return offset
    }

    /// Appends `record` and a newline to `output`.
    public mutating func append(_ record: LogRecord, to output: inout [UInt8]) {
        switch mode {
        case .cat:
            text(record.message, to: &output)
        case .short, .shortISO, .shortPrecise:
            let offset = localOffset(record.time)
            let time: String
            switch mode {
            case .short: time = TimeFormatter.short(record.time, offsetSeconds: offset)
            case .shortISO: time = TimeFormatter.rfc3339(record.time, fractionDigits: 0, offsetSeconds: offset)
            default: time = TimeFormatter.rfc3339(record.time, fractionDigits: 6, offsetSeconds: offset)
            }
            output.append(contentsOf: time.utf8)
            output.append(0x20)
            text(record.host.isEmpty ? "-" : record.host, to: &output)
            output.append(0x20)
            text(record.service.isEmpty ? "-" : record.service, to: &output)
            if let pid = record.fields["pid"] { text("[\(pid)]", to: &output) }
            output.append(contentsOf: ": ".utf8)
            text(record.message, to: &output)
        case .json:
            appendJSON(record, to: &output)
        case .jsonPretty:
            appendPrettyJSON(record, to: &output)
        case .verbose:
            output.append(contentsOf: TimeFormatter.rfc3339(record.time, fractionDigits: 6, offsetSeconds: localOffset(record.time)).utf8)
            for (name, value) in Self.journalFields(record) {
                output.append(contentsOf: "\n    \(name)=".utf8)
                text(value, to: &output)
            }
        case .export:
            for (name, value) in [("__REALTIME_TIMESTAMP", String(record.time / 1000))] + Self.journalFields(record) {
                output.append(contentsOf: name.utf8)
                if value.utf8.contains(0x0A) {
                    output.append(0x0A)
                    withUnsafeBytes(of: UInt64(value.utf8.count).littleEndian) { output.append(contentsOf: $0) }
                    output.append(contentsOf: value.utf8)
                } else {
                    output.append(0x3D)
                    output.append(contentsOf: value.utf8)
                }
                output.append(0x0A)
            }
        }
        output.append(0x0A)
    }

    /// A record as journald names its fields: `_HOSTNAME`, `SYSLOG_IDENTIFIER`, `PRIORITY`,
    /// `SYSLOG_FACILITY`, `MESSAGE`, then the record's own fields as they are.
    static func journalFields(_ record: LogRecord) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("_HOSTNAME", record.host), ("SYSLOG_IDENTIFIER", record.service), ("PRIORITY", String(record.severity.rawValue)),
        ]
        if let facility = record.facility { fields.append(("SYSLOG_FACILITY", String(facility.rawValue))) }
        fields.append(("MESSAGE", record.message))
        for (name, value) in record.fields { fields.append((name, value)) }
        return fields
    }

    private func appendPrettyJSON(_ record: LogRecord, to output: inout [UInt8]) {
        var line: [UInt8] = []
        appendJSON(record, to: &line)
        // Re-indent the one-line object: keys of the record one per line, fields nested.
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else {
            output.append(contentsOf: line)
            return
        }
        output.append(contentsOf: pretty)
        output.append(0x0A)
    }

    /// Stored text for a terminal: escaped unless `raw`.
    @inline(__always)
    private func text(_ string: String, to output: inout [UInt8]) {
        if raw {
            output.append(contentsOf: string.utf8)
        } else {
            TerminalText.append(string, to: &output)
        }
    }

    private func appendJSON(_ record: LogRecord, to output: inout [UInt8]) {
        func key(_ name: String) {
            output.append(contentsOf: ",\"\(name)\":".utf8)
        }
        output.append(contentsOf: "{\"time\":\"\(TimeFormatter.rfc3339(record.time, fractionDigits: 9))\"".utf8)
        key("received_at")
        output.append(contentsOf: "\"\(TimeFormatter.rfc3339(record.receivedAt, fractionDigits: 9))\"".utf8)
        key("host")
        JSONEscaping.append(record.host, to: &output)
        key("service")
        JSONEscaping.append(record.service, to: &output)
        key("level")
        output.append(contentsOf: "\"\(record.severity.name)\"".utf8)
        if let facility = record.facility {
            key("facility")
            output.append(contentsOf: "\"\(facility.name)\"".utf8)
        }
        key("message")
        JSONEscaping.append(record.message, to: &output)
        if record.isRaw { output.append(contentsOf: ",\"raw\":true".utf8) }
        if !record.fields.isEmpty {
            output.append(contentsOf: ",\"fields\":{".utf8)
            for (index, (name, value)) in record.fields.enumerated() {
                if index > 0 { output.append(0x2C) }
                JSONEscaping.append(name, to: &output)
                output.append(0x3A)
                JSONEscaping.append(value, to: &output)
            }
            output.append(0x7D)
        }
        output.append(0x7D)
    }
}
