import VigilCore

/// One journal entry's fields (`NAME=value`, as sd_journal enumerates them) and its realtime
/// timestamp made into a record: `MESSAGE`, `PRIORITY`, `SYSLOG_FACILITY`, `_HOSTNAME`, the
/// service from `SYSLOG_IDENTIFIER`, else `_SYSTEMD_UNIT`, else `_COMM`, and the allowed fields
/// kept as they are. Pure, so the journald input's decoding is fuzzed without a journal file; the
/// bytes come from journal files anyone who can write to the journal shapes.
public struct JournalEntryDecoder {
    /// Fields kept on the record besides the ones mapped.
    public let fieldAllowList: Set<String>
    private var message = ""
    private var priority: Severity?
    private var facility: Facility?
    private var identifier: String?
    private var unit: String?
    private var command: String?
    private var hostname = ""
    private var fields = LogFields()
    /// The entry's size: the sum of its fields' lengths.
    public private(set) var size = 0

    /// A decoder for one entry.
    public init(fieldAllowList: Set<String>) {
        self.fieldAllowList = fieldAllowList
    }

    /// Takes one `NAME=value` field; a field without `=` is skipped.
    public mutating func add(_ field: UnsafeRawBufferPointer) {
        size += field.count
        let bytes = field.bindMemory(to: UInt8.self)
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return }
        let name = String(decoding: bytes[..<equals], as: UTF8.self)
        let value = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
        switch name {
        case "MESSAGE": message = value
        case "PRIORITY": priority = Int(value).flatMap { Severity(rawValue: UInt8(clamping: $0)) }
        case "SYSLOG_IDENTIFIER": identifier = value
        case "SYSLOG_FACILITY": facility = Int(value).flatMap { Facility(rawValue: UInt8(clamping: $0)) }
        case "_SYSTEMD_UNIT": unit = value
        case "_COMM": command = value
        case "_HOSTNAME": hostname = value
        default: break
        }
        if fieldAllowList.contains(name) { fields[name] = value }
    }

    /// The record, stamped with `realtime` (µs since the epoch; `receivedAt` when absent or beyond
    /// what nanoseconds hold).
    public func record(realtime: UInt64?, receivedAt: Int64) -> LogRecord {
        var time = receivedAt
        if let realtime, realtime <= UInt64(Int64.max / 1000) { time = Int64(realtime) * 1000 }
        return LogRecord(
            time: time, receivedAt: receivedAt, host: hostname, service: identifier ?? unit ?? command ?? "",
            severity: priority ?? .info, facility: facility, message: message, fields: fields)
    }
}
