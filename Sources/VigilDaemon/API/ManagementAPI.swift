import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VigilIncidents
import VigilNotify
import VigilSettings

/// vigild's management API on `[api] listen`: incidents (list, read, timeline, evidence records,
/// actions), the incident report, the webhooks (endpoints, deliveries, test, retry), fleet mode's
/// status, the web
/// console under `/ui/` (``ConsoleRoutes``, not part of the OpenAPI document), the PagerDuty-style Events API, and its own OpenAPI 3.1 document
/// at `GET /v1/openapi.json`.
///
/// Every route is listed once in `routes`; the router is built from that list and a test checks it
/// against the OpenAPI document, so the two cannot drift apart.
enum ManagementAPI {
    /// A route: its method, its path in OpenAPI form (`/v1/incidents/{id}`), and whether it writes
    /// (writes always need a token).
    struct Route: Sendable, Hashable {
        let method: HTTPRequest.Method
        let path: String
        var writes: Bool { method != .get }
    }

    /// Every route the API serves.
    static let routes: [Route] = [
        Route(method: .get, path: "/v1/incidents"),
        Route(method: .get, path: "/v1/incidents/{id}"),
        Route(method: .patch, path: "/v1/incidents/{id}"),
        Route(method: .get, path: "/v1/incidents/{id}/timeline"),
        Route(method: .get, path: "/v1/incidents/{id}/logs"),
        Route(method: .post, path: "/v1/incidents/{id}/ack"),
        Route(method: .post, path: "/v1/incidents/{id}/resolve"),
        Route(method: .post, path: "/v1/incidents/{id}/reopen"),
        Route(method: .post, path: "/v1/incidents/{id}/merge"),
        Route(method: .post, path: "/v1/incidents/{id}/notes"),
        Route(method: .get, path: "/v1/reports/incidents"),
        Route(method: .get, path: "/v1/webhooks"),
        Route(method: .post, path: "/v1/webhooks/{name}/test"),
        Route(method: .get, path: "/v1/webhooks/deliveries"),
        Route(method: .post, path: "/v1/webhooks/deliveries/{id}/retry"),
        Route(method: .post, path: "/v1/webhooks/deliveries/retry-dead"),
        Route(method: .get, path: "/v1/fleet"),
        Route(method: .post, path: "/v1/events"),
        Route(method: .get, path: "/v1/openapi.json"),
        Route(method: .get, path: "/healthz"),
    ]

    /// The application to run as a service; `onListening` gets the bound address.
    static func application(
        configuration: APIConfiguration, store: any IncidentStore, dispatcher: WebhookDispatcher, dataDirectory: String,
        metrics: PrometheusEndpoint, hostname: String, fleet: FleetRoutes, logger: Logger,
        onListening: @escaping @Sendable (SocketAddress?) async -> Void
    ) -> some ApplicationProtocol {
        let authenticator = APIAuthenticator(tokens: configuration.tokens, anonymousReads: configuration.anonymousReads)
        let limit = Int(configuration.maxBodyBytes)
        let incidents = IncidentRoutes(store: store, dataDirectory: dataDirectory, maxBodyBytes: limit)
        let events = EventsEndpoint(store: store, authenticator: authenticator, maxBodyBytes: limit)
        let webhooks = WebhookRoutes(store: store, dispatcher: dispatcher)
        let router = Router(context: DaemonRequestContext.self)
        for route in routes {
            let path = RouterPath(route.path.replacingOccurrences(of: "{id}", with: ":id").replacingOccurrences(of: "{name}", with: ":name"))
            router.on(path, method: route.method) { request, context -> Response in
                do throws(APIError) {
                    if route.path == "/v1/events" { return await events.handle(request, context: context) }
                    if route.path == "/healthz" || route.path == "/v1/openapi.json" {
                        return route.path == "/healthz"
                            ? APIResponse.raw(Array("ok\n".utf8), contentType: "text/plain")
                            : APIResponse.raw(Array(OpenAPIDocument.json.utf8))
                    }
                    let actor = try authenticator.actor(for: request, context: context, write: route.writes)
                    if route.path == "/v1/fleet" { return fleet.status() }
                    return try await handle(route, request: request, context: context, actor: actor, incidents: incidents, webhooks: webhooks)
                } catch {
                    return error.response
                }
            }
        }
        if configuration.console {
            ConsoleRoutes(
                store: store, dispatcher: dispatcher, dataDirectory: dataDirectory, authenticator: authenticator,
                sessions: ConsoleSessions(), metrics: MetricsHistory(render: metrics.render), hostname: hostname, maxBodyBytes: limit
            ).register(on: router)
        }
        return GuardedHTTPServer.application(
            router: router, listen: configuration.listen, limits: configuration.connections, listener: "api", logger: logger,
            onListening: onListening)
    }

    private static func handle(
        _ route: Route, request: Request, context: DaemonRequestContext, actor: String, incidents: IncidentRoutes,
        webhooks: WebhookRoutes
    ) async throws(APIError) -> Response {
        let id = context.parameters.get("id") ?? ""
        switch (route.method, route.path) {
        case (.get, "/v1/incidents"): return try await incidents.list(request)
        case (.get, "/v1/incidents/{id}"): return try await incidents.show(id)
        case (.patch, "/v1/incidents/{id}"): return try await incidents.update(id, request: request, by: actor)
        case (.get, "/v1/incidents/{id}/timeline"): return try await incidents.timeline(id)
        case (.get, "/v1/incidents/{id}/logs"): return try await incidents.logs(id, request: request)
        case (.post, "/v1/incidents/{id}/ack"): return try await incidents.acknowledge(id, by: actor)
        case (.post, "/v1/incidents/{id}/resolve"): return try await incidents.resolve(id, by: actor)
        case (.post, "/v1/incidents/{id}/reopen"): return try await incidents.reopen(id, by: actor)
        case (.post, "/v1/incidents/{id}/merge"): return try await incidents.merge(id, request: request, by: actor)
        case (.post, "/v1/incidents/{id}/notes"): return try await incidents.addNote(id, request: request, by: actor)
        case (.get, "/v1/reports/incidents"): return try await incidents.report(request)
        case (.get, "/v1/webhooks"): return try await webhooks.list()
        case (.post, "/v1/webhooks/{name}/test"): return try await webhooks.test(context.parameters.get("name") ?? "")
        case (.get, "/v1/webhooks/deliveries"): return try await webhooks.deliveries(request)
        case (.post, "/v1/webhooks/deliveries/{id}/retry"): return try await webhooks.retry(id)
        case (.post, "/v1/webhooks/deliveries/retry-dead"): return try await webhooks.retryDead(request)
        default: throw APIError(status: .notFound, reason: "no route \(route.method) \(route.path)")
        }
    }
}
