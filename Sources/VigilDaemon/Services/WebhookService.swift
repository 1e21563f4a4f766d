import ServiceLifecycle
import VigilNotify

/// Runs the webhook dispatcher until shutdown. Deliveries in flight then are abandoned and sent
/// again after the restart (the outbox is on disk; delivery is at least once).
struct WebhookService: Service {
    let dispatcher: WebhookDispatcher

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await dispatcher.run()
        }
    }
}
