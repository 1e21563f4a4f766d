import Foundation
import VigilIncidents

/// The management API calls `vigil incidents` makes, with answers decoded and refusals turned
/// into one-line errors (the server's reason).
struct IncidentsAPI {
    let client: APIClient

    init(_ options: APIOptions) throws {
        client = try options.client()
    }

    /// A refusal by the server, printed as `vigil: reason`.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// The body of a 2xx answer to `method path`.
    func call(_ method: String, _ path: String, json: Any? = nil) throws -> Data {
        let response = try client.send(method, path, json: json)
        guard (200..<300).contains(response.status) else {
            var reason = response.reason
            if response.status == 401 {
                reason += client.token == nil ? " (set $VIGIL_TOKEN or pass --token-file)" : " (the token was not accepted)"
            }
            throw Refusal(description: reason.isEmpty ? "the API answered \(response.status)" : reason)
        }
        return response.body
    }

    func decode<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, json: Any? = nil) throws -> T {
        let body = try call(method, path, json: json)
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw Refusal(description: "the API's answer to \(method) \(path) could not be read: \(error)")
        }
    }

    /// `INC-7` and friends as a path component.
    static func path(_ reference: String) -> String {
        "/v1/incidents/" + (reference.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? reference)
    }

    /// `key=value&…` with values escaped.
    static func query(_ items: [(String, String?)]) -> String {
        let parts = items.compactMap { name, value -> String? in
            guard let value else { return nil }
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "+", "=", "#"])) ?? value)
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}

/// The page `GET /v1/incidents` answers.
struct IncidentPageBody: Decodable {
    let incidents: [Incident]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case incidents, nextCursor = "next_cursor"
    }
}

/// `GET /v1/incidents/{id}`: the incident and its notes.
struct IncidentDetail: Decodable {
    let incident: Incident
    let notes: [IncidentNote]

    enum CodingKeys: String, CodingKey { case notes }

    init(from decoder: any Decoder) throws {
        incident = try Incident(from: decoder)
        notes = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([IncidentNote].self, forKey: .notes) ?? []
    }
}
