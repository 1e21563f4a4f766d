import VigilCore

/// A copy of a record that contributed to a signal. Its `time` (with host and service) pins the
/// record in the store, so the full record can be read back; the message is cut to
/// `maximumMessageBytes` on a character boundary.
public struct Evidence: Sendable, Hashable {
    /// The longest message kept, in UTF-8 bytes.
    public static let maximumMessageBytes = 512

    /// Event time of the record, ns since the epoch.
    public var time: Int64
    /// The record's host.
    public var host: String
    /// The record's service.
    public var service: String
    /// The record's severity.
    public var severity: Severity
    /// The record's message, at most `maximumMessageBytes` bytes.
    public var message: String

    /// A copy of `record`'s identifying parts.
    public init(_ record: LogRecord) {
        time = record.time
        host = record.host
        service = record.service
        severity = record.severity
        message = Self.truncated(record.message)
    }

    /// `message` cut to at most `maximumMessageBytes` UTF-8 bytes without splitting a character's
    /// encoding (it backs off over continuation bytes).
    static func truncated(_ message: String) -> String {
        let utf8 = message.utf8
        guard utf8.count > maximumMessageBytes else { return message }
        var end = utf8.index(utf8.startIndex, offsetBy: maximumMessageBytes)
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        return String(decoding: utf8[utf8.startIndex..<end], as: UTF8.self)
    }
}
