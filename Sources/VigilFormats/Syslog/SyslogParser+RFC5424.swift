import VigilCore

extension SyslogParser {
    private static let space = UInt8(ascii: " ")
    private static let nilValue = UInt8(ascii: "-")

    /// Parses what follows `<PRI>1 ` in an RFC 5424 message: `TIMESTAMP HOSTNAME APP-NAME PROCID
    /// MSGID SD [MSG]`. Returns `nil` when the header is not RFC 5424 (so the caller can try
    /// RFC 3164); malformed structured data keeps the header and becomes the message.
    mutating func parseRFC5424Body(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, facility: Facility?, severity: Severity, receivedAt: Int64
    ) -> LogRecord? {
        var i = start
        guard let timestamp = Self.headerToken(b, &i), let hostname = Self.headerToken(b, &i),
            let appName = Self.headerToken(b, &i), let procID = Self.headerToken(b, &i), let msgID = Self.headerToken(b, &i)
        else { return nil }

        var time = receivedAt
        if !Self.isNil(b, timestamp) {
            guard let (nanos, length) = TimestampParser.parseRFC3339(b.slice(timestamp.lowerBound, timestamp.upperBound)),
                length == timestamp.count
            else { return nil }
            time = nanos
        }

        // PROCID and MSGID first: structured-data names (`sd.…`) sort after them and are appended.
        var fields = headerFields(b, procID: procID, msgID: msgID)
        let n = b.count
        if i < n {
            if b[i] == Self.nilValue, i + 1 == n || b[i + 1] == Self.space {
                i += 1
            } else if b[i] == UInt8(ascii: "["), let end = Self.parseStructuredData(b, from: i, into: &fields) {
                i = end
            } else {
                // Malformed structured data: it and what follows are the message.
                fields = headerFields(b, procID: procID, msgID: msgID)
            }
            if i < n, b[i] == Self.space { i += 1 }
        }
        if n - i >= 3, b[i] == 0xEF, b[i + 1] == 0xBB, b[i + 2] == 0xBF { i += 3 }

        return LogRecord(
            time: time, receivedAt: receivedAt,
            host: Self.isNil(b, hostname) ? "" : b.string(hostname.lowerBound, hostname.upperBound),
            service: Self.isNil(b, appName) ? "" : b.string(appName.lowerBound, appName.upperBound),
            severity: severity, facility: facility, message: b.string(i, n), fields: fields)
    }

    /// The fields `pid` and `msgid` (unless NILVALUE), with room for the caller's own.
    private func headerFields(_ b: UnsafeBufferPointer<UInt8>, procID: Range<Int>, msgID: Range<Int>) -> LogFields {
        let hasPID = !Self.isNil(b, procID)
        let hasMsgID = !Self.isNil(b, msgID)
        var fields = LogFields(minimumCapacity: (hasPID ? 1 : 0) + (hasMsgID ? 1 : 0) + reservedFieldCapacity)
        if hasMsgID { fields["msgid"] = b.string(msgID.lowerBound, msgID.upperBound) }
        if hasPID { fields["pid"] = b.string(procID.lowerBound, procID.upperBound) }
        return fields
    }

    /// A non-empty header field at `i` followed by exactly one space; advances past the space.
    @inline(__always)
    private static func headerToken(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Range<Int>? {
        let start = i
        let end = b.firstIndex(of: space, from: start)
        guard end > start, end < b.count else { return nil }
        i = end + 1
        return start..<end
    }

    @inline(__always)
    private static func isNil(_ b: UnsafeBufferPointer<UInt8>, _ token: Range<Int>) -> Bool {
        token.count == 1 && b[token.lowerBound] == nilValue
    }

    /// Parses one or more SD-ELEMENTs starting at `start` (which holds `[`) into `sd.ID.NAME` fields.
    /// Returns the index after the last `]`, or `nil` when malformed.
    static func parseStructuredData(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, into fields: inout LogFields
    ) -> Int? {
        let n = b.count
        let quote = UInt8(ascii: "\"")
        let close = UInt8(ascii: "]")
        var i = start
        while i < n, b[i] == UInt8(ascii: "[") {
            i += 1
            let idStart = i
            while i < n, b[i] != space, b[i] != close {
                guard b[i] != UInt8(ascii: "="), b[i] != quote else { return nil }
                i += 1
            }
            guard i < n, i > idStart else { return nil }
            let id = idStart..<i
            while true {
                guard i < n else { return nil }
                if b[i] == close {
                    i += 1
                    break
                }
                guard b[i] == space else { return nil }
                while i < n, b[i] == space { i += 1 }  // tolerate repeated spaces
                guard i < n else { return nil }
                if b[i] == close { continue }
                let nameStart = i
                while i < n, b[i] != UInt8(ascii: "=") {
                    guard b[i] != space, b[i] != close, b[i] != quote else { return nil }
                    i += 1
                }
                guard i > nameStart, i + 1 < n, b[i + 1] == quote else { return nil }
                let name = nameStart..<i
                i += 2
                let valueStart = i
                var escaped = false
                while i < n, b[i] != quote {
                    if b[i] == UInt8(ascii: "\\"), i + 1 < n {
                        escaped = true
                        i += 2
                    } else {
                        i += 1
                    }
                }
                guard i < n else { return nil }
                fields[fieldName(b, id: id, name: name)] = escaped ? unescapeParamValue(b, valueStart, i) : b.string(valueStart, i)
                i += 1
            }
        }
        return i
    }

    /// `sd.ID.NAME`, built as one string from the bytes (invalid UTF-8 repaired, as `string` does).
    private static func fieldName(_ b: UnsafeBufferPointer<UInt8>, id: Range<Int>, name: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: id.count + name.count + 4) { out in
            var o = 0
            for byte in "sd.".utf8 {
                out[o] = byte
                o += 1
            }
            for index in id {
                out[o] = b[index]
                o += 1
            }
            out[o] = UInt8(ascii: ".")
            o += 1
            for index in name {
                out[o] = b[index]
                o += 1
            }
            return o
        }
    }

    /// RFC 5424 §6.3.3: `\"`, `\\` and `\]` stand for the character; any other backslash is literal.
    private static func unescapeParamValue(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(unsafeUninitializedCapacity: end - start) { out in
            var o = 0
            var i = start
            while i < end {
                var c = b[i]
                if c == UInt8(ascii: "\\"), i + 1 < end {
                    let next = b[i + 1]
                    if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") || next == UInt8(ascii: "]") {
                        c = next
                        i += 1
                    }
                }
                out[o] = c
                o += 1
                i += 1
            }
            return o
        }
    }
}
