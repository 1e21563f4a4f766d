import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import VigilCore
import VigilIngest

/// `POST /v1/logs`: decodes the body into records, stamps where they came from (`source_ip`, and
/// `?host=` / `?service=` or the client as defaults; see ``HTTPRecordProvenance``), appends them,
/// and answers only once they are durable.
///
/// | status | when |
/// |---|---|
/// | 204 | the records are durable (the body is empty; `X-Vigil-Records` says how many, and `X-Vigil-Repaired-Bytes` how many invalid UTF-8 bytes inside strings became U+FFFD) |
/// | 400 | invalid JSON (the reason names the NDJSON line), invalid gzip, or an empty body; nothing is written |
/// | 401 | tokens are configured and the request has no valid `Authorization: Bearer` |
/// | 413 | the body, or the body once inflated, is larger than `max_body_bytes` |
/// | 415 | a content type or encoding it does not read |
/// | 503 | no room for `queue_wait` (in the admission gate or the pipeline); `Retry-After: 1` |
///
/// At most `max_active_requests` requests are decoded and waiting for durability at once (the
/// `AdmissionGate`); the others wait their turn holding only their body, which is about a quarter
/// of the memory of the records it decodes into.
///
/// Error bodies are JSON: `{"error":"…","line":3}`.
struct LogsEndpoint: Sendable {
    let configuration: HTTPInputConfiguration
    let pipeline: IngestPipeline
    private let decoder: HTTPLogDecoder
    /// `nil` when no tokens are configured: then anyone may post.
    private let authenticator: APIAuthenticator?
    private let gate: AdmissionGate
    private let provenance: HTTPRecordProvenance

    init(configuration: HTTPInputConfiguration, pipeline: IngestPipeline) {
        self.configuration = configuration
        self.pipeline = pipeline
        gate = AdmissionGate(limit: configuration.maxActiveRequests)
        decoder = HTTPLogDecoder(maxBodyBytes: Int(configuration.maxBodyBytes))
        authenticator = configuration.tokens.isEmpty
            ? nil
            : APIAuthenticator(
                tokens: configuration.tokens.enumerated().map { .init(name: "token-\($0.offset + 1)", secret: $0.element) },
                anonymousReads: false)
        provenance = HTTPRecordProvenance(trustedProxies: configuration.trustedProxies)
    }

    func handle(_ request: Request, context: DaemonRequestContext) async throws -> Response {
        let metrics = pipeline.metrics(for: .http)
        guard authorized(request) else {
            return Self.error(.unauthorized, "a valid bearer token is required", headers: [.wwwAuthenticate: "Bearer realm=\"vigil\""])
        }
        var request = request
        let format: HTTPLogDecoder.BodyFormat
        let body: ByteBuffer
        do {
            format = try HTTPLogDecoder.format(contentType: request.headers[.contentType])
            body = try await request.collectBody(upTo: Int(configuration.maxBodyBytes))
        } catch let rejection as HTTPLogDecoder.Rejection {
            return Self.error(HTTPResponse.Status(code: rejection.status), rejection.reason)
        } catch is NIOTooManyBytesError {
            return Self.error(.contentTooLarge, "the body is larger than \(configuration.maxBodyBytes) bytes")
        }
        metrics.bytes.increment(by: body.readableBytes)
        let deadline = ContinuousClock.now + .nanoseconds(configuration.queueWait)
        guard await gate.enter(waitingAtMost: .nanoseconds(configuration.queueWait)) else {
            metrics.backpressure.increment()
            return Self.busy()
        }
        defer { gate.leave() }
        var records: [LogRecord]
        var repaired = 0
        do {
            let receivedAt = WallClock.now()
            let encoding = request.headers[.contentEncoding]
            records = try body.withUnsafeReadableBytes { (raw) throws(HTTPLogDecoder.Rejection) in
                try decoder.decode(
                    raw.bindMemory(to: UInt8.self), contentEncoding: encoding, format: format, receivedAt: receivedAt,
                    repaired: &repaired)
            }
        } catch {
            if error.status == 400 { metrics.parseFailures.increment() }
            return Self.error(HTTPResponse.Status(code: error.status), error.reason, line: error.line)
        }
        let parameters = request.uri.queryParameters
        provenance.apply(
            to: &records, peer: context.peerAddress, forwardedFor: request.headers[HTTPField.Name("X-Forwarded-For")!],
            defaultHost: parameters.get("host").flatMap { $0.isEmpty ? nil : $0 },
            defaultService: parameters.get("service").flatMap { $0.isEmpty ? nil : $0 })
        let share = max(1, body.readableBytes / max(1, records.count))
        do {
            try await pipeline.submit(
                records, sourceSizes: Array(repeating: share, count: records.count), from: .http,
                waitingAtMost: max(.zero, deadline - ContinuousClock.now))
        } catch .full {
            return Self.busy()
        } catch .store(let error) {
            return Self.error(.internalServerError, "the store did not accept the records: \(error)")
        }
        var headers: HTTPFields = [HTTPField.Name("X-Vigil-Records")!: "\(records.count)"]
        if repaired > 0 {
            Self.invalidUTF8.increment(by: repaired)
            headers[HTTPField.Name("X-Vigil-Repaired-Bytes")!] = "\(repaired)"
        }
        return Response(status: .noContent, headers: headers)
    }

    /// Whether the request may post: no tokens configured, or a bearer token among them (compared
    /// in constant time, as the management API's are).
    private func authorized(_ request: Request) -> Bool {
        guard let authenticator else { return true }
        guard let secret = APIAuthenticator.bearer(request.headers[.authorization]) else { return false }
        return authenticator.name(of: secret) != nil
    }

    /// Invalid UTF-8 bytes inside JSON strings, replaced with U+FFFD (the record is kept).
    static let invalidUTF8 = Counter(label: "vigil_http_invalid_utf8_total")

    /// 503 with `Retry-After: 1`.
    static func busy() -> Response {
        error(.serviceUnavailable, "the ingest pipeline is full; retry later", headers: [.retryAfter: "1"])
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
