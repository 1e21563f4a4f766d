import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore
import VigilIngest

/// `POST /v1/logs`: decodes the body into records, appends them, and answers only once they are
/// durable.
///
/// | status | when |
/// |---|---|
/// | 204 | the records are durable (the body is empty; `X-Vigil-Records` says how many) |
/// | 400 | invalid JSON (the reason names the NDJSON line), invalid gzip, or an empty body; nothing is written |
/// | 401 | tokens are configured and the request has no valid `Authorization: Bearer` |
/// | 413 | the body, or the body once inflated, is larger than `max_body_bytes` |
/// | 415 | a content type or encoding it does not read |
/// | 503 | the pipeline stayed full for `queue_wait`; `Retry-After: 1` |
///
/// Error bodies are JSON: `{"error":"…","line":3}`.
struct LogsEndpoint: Sendable {
    let configuration: HTTPInputConfiguration
    let pipeline: IngestPipeline
    private let decoder: HTTPLogDecoder
    private let tokens: Set<String>

    init(configuration: HTTPInputConfiguration, pipeline: IngestPipeline) {
        self.configuration = configuration
        self.pipeline = pipeline
        decoder = HTTPLogDecoder(maxBodyBytes: Int(configuration.maxBodyBytes))
        tokens = Set(configuration.tokens)
    }

    func handle(_ request: Request) async throws -> Response {
        let metrics = pipeline.metrics(for: .http)
        guard authorized(request) else {
            return Self.error(.unauthorized, "a valid bearer token is required", headers: [.wwwAuthenticate: "Bearer realm=\"vigil\""])
        }
        var request = request
        let records: [LogRecord]
        let receivedBytes: Int
        do {
            let format = try HTTPLogDecoder.format(contentType: request.headers[.contentType])
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Int(configuration.maxBodyBytes))
            } catch is NIOTooManyBytesError {
                throw HTTPLogDecoder.Rejection(status: 413, reason: "the body is larger than \(configuration.maxBodyBytes) bytes")
            }
            receivedBytes = body.readableBytes
            metrics.bytes.increment(by: receivedBytes)
            let inflated = try decoder.inflate(Array(buffer: body), contentEncoding: request.headers[.contentEncoding])
            records = try decoder.decode(inflated, format: format, receivedAt: Int64(Date().timeIntervalSince1970 * 1e9))
        } catch let rejection as HTTPLogDecoder.Rejection {
            if rejection.status == 400 { metrics.parseFailures.increment() }
            return Self.error(HTTPResponse.Status(code: rejection.status), rejection.reason, line: rejection.line)
        }
        let share = max(1, receivedBytes / max(1, records.count))
        do {
            try await pipeline.submit(
                records, sourceSizes: Array(repeating: share, count: records.count), from: .http,
                waitingAtMost: .nanoseconds(configuration.queueWait))
        } catch .full {
            return Self.error(.serviceUnavailable, "the ingest pipeline is full; retry later", headers: [.retryAfter: "1"])
        } catch .store(let error) {
            return Self.error(.internalServerError, "the store did not accept the records: \(error)")
        }
        return Response(status: .noContent, headers: [HTTPField.Name("X-Vigil-Records")!: "\(records.count)"])
    }

    private func authorized(_ request: Request) -> Bool {
        guard !tokens.isEmpty else { return true }
        guard let value = request.headers[.authorization] else { return false }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return tokens.contains(parts[1].trimmingCharacters(in: .whitespaces))
    }

    /// A JSON error response: `{"error":"reason","line":N}`.
    static func error(_ status: HTTPResponse.Status, _ reason: String, line: Int? = nil, headers: HTTPFields = [:]) -> Response {
        var object: [String: Any] = ["error": reason]
        if let line { object["line"] = line }
        let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: json + Data("\n".utf8))))
    }
}
