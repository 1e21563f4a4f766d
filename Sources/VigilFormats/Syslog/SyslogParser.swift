import Foundation
import VigilCore

/// Parses syslog messages — RFC 5424, RFC 3164 (BSD) and the variants real senders emit — into
/// ``LogRecord``s, straight from bytes.
///
/// ``parse(_:receivedAt:)`` never fails. It recognises, after trailing `\n`, `\r` and NUL are
/// stripped:
/// - **RFC 5424**: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`. Any header field may
///   be the NILVALUE `-`. APP-NAME becomes `service`, PROCID the field `pid`, MSGID the field
///   `msgid`, and each structured-data parameter the field `sd.<SD-ID>.<PARAM-NAME>` (the SD-ID
///   keeps its `@enterprise` part; `\"`, `\\` and `\]` are unescaped). A UTF-8 BOM before MSG is
///   removed. If the structured data is malformed, the header is kept and everything from the
///   structured data on becomes the message.
/// - **RFC 3164**: `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`, with the year inferred by
///   ``BSDTimestampParser`` from the receive time, in ``timeZone``. Also: no PRI (then
///   ``defaultFacility``/``defaultSeverity``, `user.notice` unless configured); no HOSTNAME (the
///   first token after the timestamp is taken as the tag when it ends with `:` or contains `[`);
///   an RFC 3339 timestamp instead of the BSD one (rsyslog's forwarding format); `TAG:` without a
///   PID; no tag at all; a PRI followed by no timestamp (the receive time is used, per RFC 3164
///   §4.3.2). TAG becomes `service`, PID the field `pid`.
///
/// It falls back to a raw record (``LogRecord/raw(_:receivedAt:severity:)``: the bytes as the
/// message, `isRaw` set, receive time, severity `notice`) when the PRI is malformed or out of range
/// (above 191), when the input is empty, or when there is neither a PRI nor a timestamp to show it
/// is syslog. ``lastParseWasRaw`` and ``rawCount`` report fallbacks.
///
/// A parser caches time-zone offsets, so it is mutable: give each task its own.
public struct SyslogParser: Sendable {
    /// Facility for messages without a PRI.
    public var defaultFacility: Facility
    /// Severity for messages without a PRI.
    public var defaultSeverity: Severity
    var bsdTimestamps: BSDTimestampParser

    /// Whether the last ``parse(_:receivedAt:)`` returned a raw record.
    public private(set) var lastParseWasRaw = false
    /// How many ``parse(_:receivedAt:)`` calls returned a raw record so far.
    public private(set) var rawCount = 0
    /// Room for fields the caller adds to each parsed record (the network inputs add the sender's
    /// address), so that adding them does not reallocate the record's fields.
    public var reservedFieldCapacity = 0

    /// - Parameters:
    ///   - timeZone: the zone RFC 3164 timestamps (which carry none) are in; UTC by default.
    ///   - defaultFacility: facility for messages without a PRI (`user`).
    ///   - defaultSeverity: severity for messages without a PRI (`notice`).
    public init(
        timeZone: TimeZone = TimeZone(identifier: "UTC")!, defaultFacility: Facility = .user,
        defaultSeverity: Severity = .notice
    ) {
        self.defaultFacility = defaultFacility
        self.defaultSeverity = defaultSeverity
        bsdTimestamps = BSDTimestampParser(timeZone: timeZone)
    }

    /// The zone RFC 3164 timestamps are interpreted in.
    public var timeZone: TimeZone { bsdTimestamps.timeZone }

    /// Parses one syslog message (RFC 5424 or RFC 3164 and variants); see the type's documentation.
    /// Never fails: input it cannot make sense of comes back as a raw record.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, receivedAt: Int64) -> LogRecord {
        let b = bytes.slice(0, bytes.endTrimmingTerminators())
        if let record = parseStructured(b, receivedAt: receivedAt, allowBSD: true) {
            lastParseWasRaw = false
            return record
        }
        lastParseWasRaw = true
        rawCount += 1
        return .raw(b, receivedAt: receivedAt)
    }

    /// Parses an RFC 5424 message only (`<PRI>1 …`); `nil` when the input is not one. Trailing
    /// `\n`, `\r` and NUL are ignored. Does not touch ``rawCount``.
    public mutating func parseRFC5424(_ bytes: UnsafeBufferPointer<UInt8>, receivedAt: Int64) -> LogRecord? {
        parseStructured(bytes.slice(0, bytes.endTrimmingTerminators()), receivedAt: receivedAt, allowBSD: false)
    }

    /// Parses the PRI and dispatches to the RFC 5424 or RFC 3164 parser. `b` is already trimmed.
    private mutating func parseStructured(
        _ b: UnsafeBufferPointer<UInt8>, receivedAt: Int64, allowBSD: Bool
    ) -> LogRecord? {
        guard !b.isEmpty else { return nil }
        guard b[0] == UInt8(ascii: "<") else {
            guard allowBSD else { return nil }
            return parseRFC3164(
                b, from: 0, facility: defaultFacility, severity: defaultSeverity, hasPRI: false, receivedAt: receivedAt)
        }
        guard let (pri, start) = Self.parsePRI(b) else { return nil }
        let facility = Facility(rawValue: UInt8(pri >> 3))
        let severity = Severity(rawValue: UInt8(pri & 7))!
        if start + 1 < b.count, b[start] == UInt8(ascii: "1"), b[start + 1] == UInt8(ascii: " "),
            let record = parseRFC5424Body(b, from: start + 2, facility: facility, severity: severity, receivedAt: receivedAt)
        {
            return record
        }
        guard allowBSD else { return nil }
        return parseRFC3164(b, from: start, facility: facility, severity: severity, hasPRI: true, receivedAt: receivedAt)
    }

    /// `<PRI>` at the start of `b`: one to three digits, 0–191. Returns the value and the index after `>`.
    static func parsePRI(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var value = 0
        var i = 1
        while i < b.count, i <= 4 {
            let c = b[i]
            if c == UInt8(ascii: ">") {
                guard i > 1, value <= 191 else { return nil }
                return (value, i + 1)
            }
            guard c &- 0x30 < 10 else { return nil }
            value = value * 10 + Int(c - 0x30)
            i += 1
        }
        return nil
    }
}
