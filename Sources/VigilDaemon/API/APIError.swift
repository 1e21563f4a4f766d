import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilIncidents

/// A refused API request: its status and a reason, answered as `{"error": "reason"}`.
struct APIError: Error, CustomStringConvertible {
    let status: HTTPResponse.Status
    let reason: String
    var headers: HTTPFields = [:]

    var description: String { reason }

    static func badRequest(_ reason: String) -> APIError { APIError(status: .badRequest, reason: reason) }

    static let unauthorized = APIError(
        status: .unauthorized, reason: "a valid bearer token is required", headers: [.wwwAuthenticate: "Bearer realm=\"vigil\""])

    /// The answer for an incident store error: 404, 409 or 500.
    init(_ error: IncidentStoreError) {
        switch error {
        case .notFound, .deliveryNotFound: self.init(status: .notFound, reason: error.description)
        case .transition: self.init(status: .conflict, reason: error.description)
        default: self.init(status: .internalServerError, reason: error.description)
        }
    }

    /// Runs a store call, answering its errors as 404, 409 or 500.
    static func answering<T>(_ body: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch let error as IncidentStoreError {
            throw APIError(error)
        } catch {
            throw APIError(status: .internalServerError, reason: "\(error)")
        }
    }

    init(status: HTTPResponse.Status, reason: String, headers: HTTPFields = [:]) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// `{"error": reason}` with the status.
    var response: Response {
        APIResponse.json(["error": reason], status: status, headers: headers)
    }
}

/// JSON answers of the management API.
enum APIResponse {
    /// `value` encoded as JSON (sorted keys, times as RFC 3339).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return raw(Array(data) + [0x0A], status: status, headers: headers)
    }

    /// Bytes that already are JSON.
    static func raw(
        _ bytes: [UInt8], status: HTTPResponse.Status = .ok, contentType: String = "application/json", headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
