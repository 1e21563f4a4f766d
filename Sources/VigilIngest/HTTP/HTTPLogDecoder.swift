import Foundation
import VigilCore
import VigilFormats

/// Turns the body of a `POST /v1/logs` request into records, or says why it cannot.
///
/// Bodies: one JSON object, a JSON array of objects (`application/json`), or NDJSON, one object per
/// line (`application/x-ndjson`; also `application/jsonl`, `application/x-jsonlines`). Without a
/// `Content-Type`, or with curl's default `application/x-www-form-urlencoded`, the body's shape
/// decides. Other types are refused with 415. `Content-Encoding: gzip` bodies are inflated first.
/// The whole body is decoded before anything is returned, so a bad line rejects the request and
/// nothing of it is written.
public struct HTTPLogDecoder: Sendable {
    /// How a body is laid out.
    public enum BodyFormat: Sendable, Equatable {
        /// One object or an array of objects.
        case json
        /// One object per line.
        case ndjson
        /// Decided from the body: `[` or a single object is JSON, several lines are NDJSON.
        case detect
    }

    /// Why a request was refused, with the HTTP status to answer.
    public struct Rejection: Error, Equatable, CustomStringConvertible {
        /// 400, 413 or 415.
        public let status: Int
        /// One sentence for the client.
        public let reason: String
        /// The 1-based NDJSON line (or array element) at fault, when there is one.
        public let line: Int?

        public init(status: Int, reason: String, line: Int? = nil) {
            self.status = status
            self.reason = reason
            self.line = line
        }

        public var description: String { "\(status): \(reason)" }
    }

    /// Bodies (after decompression) larger than this are refused with 413.
    public var maxBodyBytes: Int
    /// Invalid UTF-8 inside a JSON string becomes U+FFFD and the record is kept (counted by the
    /// `repaired:` variants), as the syslog inputs keep theirs; a line that is not JSON at all
    /// still refuses the body.
    private let decoder = JSONRecordDecoder(parser: FlatJSONParser(repairsInvalidUTF8: true))

    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// The body format a `Content-Type` names; 415 for other types.
    public static func format(contentType: String?) throws(Rejection) -> BodyFormat {
        guard let contentType else { return .detect }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        switch mediaType {
        case "application/json": return .json
        case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
            "application/jsonlines":
            return .ndjson
        // curl's default for -d; users post JSON with it without thinking of the header.
        case "", "application/x-www-form-urlencoded": return .detect
        default:
            throw Rejection(
                status: 415,
                reason: "unsupported content type \"\(mediaType)\"; send application/json or application/x-ndjson")
        }
    }

    /// Inflates `body` per its `Content-Encoding` (`gzip`, `x-gzip`, `identity` or none) and decodes
    /// it into records stamped `receivedAt` where they carry no time. 415 for other encodings, 413
    /// when it is (or inflates to) more than `maxBodyBytes`, 400 when it is not valid gzip or JSON.
    /// An identity body is decoded where it lies, without a copy.
    public func decode(
        _ body: UnsafeBufferPointer<UInt8>, contentEncoding: String?, format: BodyFormat, receivedAt: Int64
    ) throws(Rejection) -> [LogRecord] {
        var repaired = 0
        return try decode(body, contentEncoding: contentEncoding, format: format, receivedAt: receivedAt, repaired: &repaired)
    }

    /// `decode(_:contentEncoding:format:receivedAt:)`, adding the invalid UTF-8 bytes it replaced
    /// to `repaired`.
    public func decode(
        _ body: UnsafeBufferPointer<UInt8>, contentEncoding: String?, format: BodyFormat, receivedAt: Int64,
        repaired: inout Int
    ) throws(Rejection) -> [LogRecord] {
        let encoding = contentEncoding?.trimmingCharacters(in: .whitespaces).lowercased() ?? "identity"
        switch encoding {
        case "identity", "":
            return try decode(body, format: format, receivedAt: receivedAt, repaired: &repaired)
        case "gzip", "x-gzip":
            let inflated: [UInt8]
            do {
                inflated = try GzipInflater.inflate(body, limit: maxBodyBytes)
            } catch {
                switch error {
                case .tooLarge:
                    throw Rejection(status: 413, reason: "the body inflates to more than \(maxBodyBytes) bytes")
                case .invalid(let message):
                    throw Rejection(status: 400, reason: "the body is not valid gzip: \(message)")
                }
            }
            var count = 0
            defer { repaired += count }
            return try inflated.withUnsafeBufferPointer { (bytes) throws(Rejection) in
                try decode(bytes, format: format, receivedAt: receivedAt, repaired: &count)
            }
        default:
            throw Rejection(status: 415, reason: "unsupported content encoding \"\(encoding)\"; send gzip or identity")
        }
    }

    /// Decodes a whole (inflated) body into records stamped `receivedAt` where they carry no time.
    public func decode(_ body: [UInt8], format: BodyFormat, receivedAt: Int64) throws(Rejection) -> [LogRecord] {
        var repaired = 0
        return try body.withUnsafeBufferPointer { (bytes) throws(Rejection) in
            try decode(bytes, format: format, receivedAt: receivedAt, repaired: &repaired)
        }
    }

    private func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, format: BodyFormat, receivedAt: Int64, repaired: inout Int
    ) throws(Rejection) -> [LogRecord] {
        guard bytes.count <= maxBodyBytes else {
            throw Rejection(status: 413, reason: "the body is larger than \(maxBodyBytes) bytes")
        }
        switch format {
        case .json: return try decodeJSON(bytes, receivedAt: receivedAt, repaired: &repaired)
        case .ndjson: return try decodeNDJSON(bytes, receivedAt: receivedAt, repaired: &repaired)
        case .detect:
            return Self.looksLikeNDJSON(bytes)
                ? try decodeNDJSON(bytes, receivedAt: receivedAt, repaired: &repaired)
                : try decodeJSON(bytes, receivedAt: receivedAt, repaired: &repaired)
        }
    }

    private func decodeJSON(_ bytes: UnsafeBufferPointer<UInt8>, receivedAt: Int64, repaired: inout Int) throws(Rejection) -> [LogRecord] {
        guard let first = bytes.firstIndex(where: { !Self.isWhitespace($0) }) else {
            throw Rejection(status: 400, reason: "the body is empty")
        }
        if bytes[first] != UInt8(ascii: "[") {
            do {
                return [try decoder.decode(bytes, receivedAt: receivedAt, repaired: &repaired)]
            } catch {
                throw Rejection(status: 400, reason: "invalid JSON at \(error)")
            }
        }
        do {
            return try decoder.parser.parseObjects(bytes, repaired: &repaired).map { decoder.record(from: $0, receivedAt: receivedAt) }
        } catch {
            throw Rejection(status: 400, reason: "invalid JSON at \(error)")
        }
    }

    private func decodeNDJSON(_ bytes: UnsafeBufferPointer<UInt8>, receivedAt: Int64, repaired: inout Int) throws(Rejection) -> [LogRecord] {
        var records: [LogRecord] = []
        var lineStart = 0
        var line = 0
        while lineStart < bytes.count {
            line += 1
            var end = lineStart
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
            var first = lineStart
            while first < end, Self.isWhitespace(bytes[first]) { first += 1 }
            if first < end {
                do {
                    records.append(
                        try decoder.decode(UnsafeBufferPointer(rebasing: bytes[lineStart..<end]), receivedAt: receivedAt, repaired: &repaired))
                } catch {
                    throw Rejection(status: 400, reason: "invalid JSON on line \(line), byte \(error.offset): \(error.reason)", line: line)
                }
            }
            lineStart = next
        }
        guard !records.isEmpty else { throw Rejection(status: 400, reason: "the body holds no JSON objects") }
        return records
    }

    /// More than one non-blank line, and the first starts with `{`.
    private static func looksLikeNDJSON(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }), bytes[first] == UInt8(ascii: "{") else { return false }
        guard let newline = bytes[first...].firstIndex(of: 0x0A) else { return false }
        return bytes[(newline + 1)...].contains { !isWhitespace($0) }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
