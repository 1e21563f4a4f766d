import Hummingbird
import VigilCore
import VigilIncidents
import VigilNotify

/// The handlers of `/v1/webhooks…`: the endpoints with their queues, a test notification, the
/// deliveries, and putting dead deliveries back in the queue.
struct WebhookRoutes: Sendable {
    let store: any IncidentStore
    let dispatcher: WebhookDispatcher

    func list() async throws(APIError) -> Response {
        let endpoints = try await APIError.answering { try await dispatcher.endpoints() }
        return APIResponse.json(EndpointListBody(endpoints: endpoints))
    }

    func test(_ name: String) async throws(APIError) -> Response {
        guard let result = await dispatcher.test(name) else {
            throw APIError(status: .notFound, reason: "no webhook named \"\(name)\" is configured")
        }
        return APIResponse.json(
            TestBody(id: result.id, status: result.status, body: result.body, error: result.error, latencyMilliseconds: Double(result.latency) / 1e6))
    }

    func deliveries(_ request: Request) async throws(APIError) -> Response {
        let parameters = request.uri.queryParameters
        let states = try IncidentRoutes.list(
            parameters, "state", WebhookDelivery.State.init(rawValue:), allowed: WebhookDelivery.State.allCases.map(\.rawValue))
        let limit = try IncidentRoutes.value(parameters, "limit").map { text throws(APIError) in
            try IncidentRoutes.integer(text, "limit", in: 1...1000)
        } ?? 100
        let endpoint = IncidentRoutes.value(parameters, "endpoint")
        let incident = IncidentRoutes.value(parameters, "incident")
        let deliveries = try await APIError.answering { try await store.deliveries(endpoint: endpoint, incident: incident, states: states, limit: limit) }
        return APIResponse.json(DeliveryListBody(deliveries: deliveries))
    }

    func retry(_ id: String) async throws(APIError) -> Response {
        let delivery = try await APIError.answering { try await store.retryDelivery(id, now: WallClock.now()) }
        dispatcher.deliveriesRequeued(endpoint: delivery.endpoint)
        return APIResponse.json(delivery)
    }

    func retryDead(_ request: Request) async throws(APIError) -> Response {
        let endpoint = IncidentRoutes.value(request.uri.queryParameters, "endpoint")
        let count = try await APIError.answering { try await store.retryDeadDeliveries(endpoint: endpoint, now: WallClock.now()) }
        dispatcher.deliveriesRequeued(endpoint: endpoint)
        return APIResponse.json(["requeued": count])
    }

}

struct EndpointListBody: Encodable {
    let endpoints: [WebhookEndpointStatus]
}

struct DeliveryListBody: Encodable {
    let deliveries: [WebhookDelivery]
}

struct TestBody: Encodable {
    let id: String
    let status: Int?
    let body: String?
    let error: String?
    let latencyMilliseconds: Double

    enum CodingKeys: String, CodingKey {
        case id, status, body, error
        case latencyMilliseconds = "latency_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(body, forKey: .body)
        try c.encode(error, forKey: .error)
        try c.encode(latencyMilliseconds, forKey: .latencyMilliseconds)
    }
}
