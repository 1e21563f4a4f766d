import Foundation
import VigilCore

/// Turns lines of text (a file being imported, a stream) into ``LogRecord``s in a chosen
/// ``LineFormat``. Never fails: a line the format cannot parse becomes a raw record (its text as the
/// message, `isRaw` set, the receive time as its time, severity `notice`), counted in ``rawCount``.
///
/// `service` and `host` overrides, when given, replace whatever the line carried — they mean "these
/// lines come from S" (`vigil import --service S`) — and apply to raw records too.
///
/// Line terminators (`\n`, `\r\n`) and trailing NULs are ignored. Callers usually skip blank lines
/// themselves; a blank line decodes to a raw record with an empty message.
///
/// The decoder caches time-zone offsets, so it is mutable: give each task its own.
public struct LineDecoder: Sendable {
    /// How lines are read.
    public var format: LineFormat
    /// When set, the service of every record.
    public var serviceOverride: String?
    /// When set, the host of every record.
    public var hostOverride: String?
    /// The syslog parser (time zone and defaults for RFC 3164).
    public var syslog: SyslogParser
    /// The JSON mapping.
    public var json: JSONRecordDecoder

    /// Whether the last decoded line became a raw record.
    public private(set) var lastLineWasRaw = false
    /// How many lines became raw records so far (lines that format `raw` reads are not counted).
    public private(set) var rawCount = 0

    /// - Parameters:
    ///   - format: how to read lines; `auto` by default.
    ///   - service: override for every record's service.
    ///   - host: override for every record's host.
    ///   - timeZone: the zone of RFC 3164 timestamps; UTC by default.
    public init(
        format: LineFormat = .auto, service: String? = nil, host: String? = nil,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!
    ) {
        self.format = format
        serviceOverride = service
        hostOverride = host
        syslog = SyslogParser(timeZone: timeZone)
        json = JSONRecordDecoder()
    }

    /// Decodes one line (with or without its terminator).
    public mutating func decode(line: UnsafeBufferPointer<UInt8>, receivedAt: Int64) -> LogRecord {
        let b = line.slice(0, line.endTrimmingTerminators())
        var record: LogRecord?
        switch format {
        case .auto:
            var first = 0
            while first < b.count, b[first] == 0x20 || b[first] == 0x09 { first += 1 }
            if first < b.count, b[first] == UInt8(ascii: "{") {
                record = try? json.decode(b, receivedAt: receivedAt)
            } else {
                record = syslog.parse(b, receivedAt: receivedAt)
            }
        case .syslog:
            record = syslog.parse(b, receivedAt: receivedAt)
        case .rfc5424:
            record = syslog.parseRFC5424(b, receivedAt: receivedAt)
        case .json:
            record = try? json.decode(b, receivedAt: receivedAt)
        case .raw:
            record = .raw(b, receivedAt: receivedAt)
        }
        var result: LogRecord
        if let record, !record.isRaw || format == .raw {
            result = record
            lastLineWasRaw = record.isRaw
        } else {
            result = record ?? .raw(b, receivedAt: receivedAt)
            lastLineWasRaw = true
            rawCount += 1
        }
        if let serviceOverride { result.service = serviceOverride }
        if let hostOverride { result.host = hostOverride }
        return result
    }
}
