import Hummingbird
import Logging
import NIOCore
import VigilDetect
import VigilIngest

/// The daemon's HTTP server (Hummingbird, HTTP/1.1 with keep-alive): `POST /v1/logs` (see
/// ``LogsEndpoint``), `GET /v1/signals` (the latest detector signals, NDJSON), `GET /healthz` and
/// `GET /metrics` (Prometheus text format).
enum DaemonHTTPServer {
    /// The application to run as a service; `onListening` gets the bound address.
    static func application(
        configuration: HTTPInputConfiguration, pipeline: IngestPipeline, metrics: PrometheusEndpoint, signals: SignalLog,
        health: @escaping @Sendable () -> Bool, logger: Logger,
        onListening: @escaping @Sendable (SocketAddress?) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: DaemonRequestContext.self)
        let logs = LogsEndpoint(configuration: configuration, pipeline: pipeline)
        router.post("/v1/logs") { request, context in try await logs.handle(request, context: context) }
        router.get("/healthz") { _, _ -> Response in
            health()
                ? Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
                : LogsEndpoint.error(.serviceUnavailable, "starting or stopping")
        }
        router.get("/v1/signals") { _, _ -> Response in
            var body: [UInt8] = []
            for signal in signals.all {
                body.append(contentsOf: signal.jsonLine.utf8)
                body.append(0x0A)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        return GuardedHTTPServer.application(
            router: router, listen: configuration.listen, limits: configuration.connections, listener: "http", logger: logger,
            onListening: onListening)
    }
}
