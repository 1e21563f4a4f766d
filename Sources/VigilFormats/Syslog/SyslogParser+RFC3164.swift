import VigilCore

extension SyslogParser {
    /// Parses an RFC 3164 message from `start` (just after the PRI, or 0 without one):
    /// `[TIMESTAMP ][HOSTNAME ][TAG[PID]: ]MSG`. Without a PRI a timestamp is required (otherwise
    /// nothing marks the bytes as syslog and `nil` is returned).
    mutating func parseRFC3164(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, facility: Facility?, severity: Severity, hasPRI: Bool,
        receivedAt: Int64
    ) -> LogRecord? {
        let n = b.count
        let space = UInt8(ascii: " ")
        var i = start
        var time = receivedAt
        var hasTimestamp = false
        if n - i >= 15 {
            let rest = b.slice(i, n)
            if let (nanos, length) = bsdTimestamps.parse(rest, reference: receivedAt),
                length == rest.count || rest[length] == space
            {
                time = nanos
                hasTimestamp = true
                i += length
            } else if rest[0] &- 0x30 < 10, let (nanos, length) = TimestampParser.parseRFC3339(rest),
                length == rest.count || rest[length] == space
            {
                time = nanos
                hasTimestamp = true
                i += length
            }
        }
        guard hasTimestamp || hasPRI else { return nil }
        while i < n, b[i] == space { i += 1 }

        var host = ""
        var service = ""
        var pid: String?
        if let tag = Self.parseTag(b, from: i) {
            (service, pid, i) = tag
        } else if hasTimestamp {
            // Not a tag, so (after a timestamp) the hostname; a tag may follow.
            let end = b.firstIndex(of: space, from: i)
            host = b.string(i, end)
            i = end
            while i < n, b[i] == space { i += 1 }
            if let tag = Self.parseTag(b, from: i) { (service, pid, i) = tag }
        }
        var fields = LogFields(minimumCapacity: (pid == nil ? 0 : 1) + reservedFieldCapacity)
        if let pid { fields["pid"] = pid }
        return LogRecord(
            time: time, receivedAt: receivedAt, host: host, service: service, severity: severity, facility: facility,
            message: b.string(i, n), fields: fields)
    }

    /// A tag token at `start`: `name:`, `name[pid]:` or `name[pid]` followed by a space (or the end).
    /// Returns the tag, the pid and the index of the message (one space after the tag skipped).
    static func parseTag(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (String, String?, Int)? {
        let n = b.count
        var i = start
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: " ") { return nil }
            if c == UInt8(ascii: ":") || c == UInt8(ascii: "[") { break }
            i += 1
        }
        guard i < n, i > start else { return nil }
        let tag = b.string(start, i)
        var pid: String?
        if b[i] == UInt8(ascii: "[") {
            let pidStart = i + 1
            var close = pidStart
            while close < n, b[close] != UInt8(ascii: "]"), b[close] != UInt8(ascii: " ") { close += 1 }
            if close < n, b[close] == UInt8(ascii: "]") {
                pid = close > pidStart ? b.string(pidStart, close) : nil
                i = close + 1
                if i < n, b[i] == UInt8(ascii: ":") { i += 1 }
            } else {
                // `name[` without a closing bracket: a tag only if the token ends with `:`.
                let end = b.firstIndex(of: UInt8(ascii: " "), from: i)
                guard end > i, b[end - 1] == UInt8(ascii: ":") else { return nil }
                return (b.string(start, end - 1), nil, end < n ? end + 1 : end)
            }
            guard i == n || b[i] == UInt8(ascii: " ") else { return nil }
        } else {
            i += 1  // the ':'
            guard i == n || b[i] == UInt8(ascii: " ") else { return nil }
        }
        if i < n { i += 1 }
        return (tag, pid, i)
    }
}
