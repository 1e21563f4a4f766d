import Foundation
import Hummingbird
import NIOCore

/// Reads a JSON request body: `application/json` (or no content type), at most `limit` bytes,
/// one object. Refusals are 415, 413 and 400 with the reason.
enum JSONBody {
    static func object(_ request: Request, limit: Int) async throws(APIError) -> [String: Any] {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw APIError(status: .unsupportedMediaType, reason: "send Content-Type: application/json, not \(type)")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(status: .contentTooLarge, reason: "the body is larger than \(limit) bytes")
        } catch {
            throw .badRequest("could not read the body: \(error)")
        }
        guard buffer.readableBytes > 0 else { throw .badRequest("the body is empty; it must be a JSON object") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        } catch {
            throw .badRequest("the body is not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
        }
        guard let object = parsed as? [String: Any] else { throw .badRequest("the body must be a JSON object") }
        return object
    }
}
