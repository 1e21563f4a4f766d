import VigilCore
import VigilFormats

/// 2026-11-23T10:00:05Z, the receive time most tests use.
let testReceivedAt = TimestampParser.parseRFC3339("2026-11-23T10:00:05Z")!

/// Nanoseconds for an RFC 3339 text (test shorthand).
func nanos(_ text: String) -> Int64 { TimestampParser.parseRFC3339(text)! }

extension SyslogParser {
    mutating func parse(_ text: String, receivedAt: Int64 = testReceivedAt) -> LogRecord {
        parse(bytes: Array(text.utf8), receivedAt: receivedAt)
    }

    mutating func parse(bytes: [UInt8], receivedAt: Int64 = testReceivedAt) -> LogRecord {
        bytes.withUnsafeBufferPointer { parse($0, receivedAt: receivedAt) }
    }

    mutating func parseRFC5424(_ text: String, receivedAt: Int64 = testReceivedAt) -> LogRecord? {
        Array(text.utf8).withUnsafeBufferPointer { parseRFC5424($0, receivedAt: receivedAt) }
    }

    static func split(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            splitMessages(b).map { String(decoding: b[$0], as: UTF8.self) }
        }
    }
}

extension FlatJSONParser {
    func object(_ text: String) throws(JSONParseError) -> [String: String] {
        try object(bytes: Array(text.utf8))
    }

    func object(bytes: [UInt8]) throws(JSONParseError) -> [String: String] {
        try bytes.withUnsafeBufferPointer { b in
            Result { () throws(JSONParseError) in try parseObject(b) }
        }.get()
    }

    func value(_ text: String) throws(JSONParseError) -> FlatJSONValue {
        try Array(text.utf8).withUnsafeBufferPointer { b in
            Result { () throws(JSONParseError) in try parseValue(b) }
        }.get()
    }

    func objects(_ text: String) throws(JSONParseError) -> [[String: String]] {
        try Array(text.utf8).withUnsafeBufferPointer { b in
            Result { () throws(JSONParseError) in try parseObjects(b) }
        }.get()
    }

    func ndjson(_ text: String) throws(JSONParseError) -> [[String: String]] {
        try Array(text.utf8).withUnsafeBufferPointer { b in
            Result { () throws(JSONParseError) in try parseNDJSON(b) }
        }.get()
    }
}

extension JSONRecordDecoder {
    func decode(_ text: String, receivedAt: Int64 = testReceivedAt) throws(JSONParseError) -> LogRecord {
        try Array(text.utf8).withUnsafeBufferPointer { b in
            Result { () throws(JSONParseError) in try decode(b, receivedAt: receivedAt) }
        }.get()
    }
}

extension LineDecoder {
    mutating func decode(_ text: String, receivedAt: Int64 = testReceivedAt) -> LogRecord {
        Array(text.utf8).withUnsafeBufferPointer { decode(line: $0, receivedAt: receivedAt) }
    }
}

