import Hummingbird
import VigilFleet

/// `GET /v1/fleet`: this vigild's part in fleet mode — its forwarder (an edge) and its NATS input
/// (a central vigild), either or both, or neither.
struct FleetRoutes: Sendable {
    let forwarder: NATSForwarder?
    let input: NATSInput?

    func status() -> Response {
        APIResponse.json(Body(forwarder: forwarder?.status, input: input?.status))
    }

    struct Body: Encodable {
        var forwarder: NATSForwarder.Status?
        var input: NATSInput.Status?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(forwarder, forKey: .forwarder)
            try container.encode(input, forKey: .input)
        }

        enum CodingKeys: String, CodingKey { case forwarder, input }
    }
}
