import ArgumentParser
import Foundation
import VigilCore
import VigilFormats
import VigilIncidents

/// `vigil webhooks …`: webhook endpoints and deliveries through vigild's management API.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Show webhook endpoints and deliveries, send a test, retry failed deliveries (through vigild's API).",
        discussion: """
            Endpoints are [[webhooks]] tables in the configuration; these commands show how their \
            queues stand and act on deliveries through vigild's management API ([api] listen, \
            default http://127.0.0.1:8081), with the token in $VIGIL_TOKEN or --token-file.

            A delivery is one notification to one endpoint. It is pending until the receiver \
            answers 2xx (delivered), or dead when the receiver refused it for good (a 4xx other \
            than 408, 410 and 429) or retry_for ran out. `retry` puts dead ones back in the queue.

            EXAMPLES
              vigil webhooks list
              vigil webhooks test ops-slack
              vigil webhooks deliveries --failed
              vigil webhooks deliveries --incident INC-7
              vigil webhooks retry msg_2f…
              vigil webhooks retry --all-dead
            """,
        subcommands: [WebhooksListCommand.self, WebhooksTestCommand.self, WebhooksDeliveriesCommand.self, WebhooksRetryCommand.self]
    )
}

struct WebhooksListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every endpoint: format, state, pending and dead deliveries, the oldest pending one's age.",
        discussion: """
            STATE is active, disabled (enabled = false), disabled (410 Gone) — the receiver said \
            the hook is gone; its deliveries stay queued until its url changes — circuit open \
            (failing: paused), circuit half_open, or removed (no longer configured, deliveries kept).
            """)
    @OptionGroup var api: APIOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format")) var output = IncidentOutput.table

    func run() throws {
        struct Body: Decodable { let endpoints: [WebhookEndpointStatus] }
        let api = try IncidentsAPI(self.api)
        if output == .json {
            FileHandle.standardOutput.write(try api.call("GET", "/v1/webhooks"))
            return
        }
        let endpoints = try api.decode(Body.self, "GET", "/v1/webhooks").endpoints
        let now = WallClock.now()
        var rows = [["NAME", "FORMAT", "STATE", "PENDING", "DEAD", "OLDEST", "URL"]]
        for endpoint in endpoints {
            rows.append([
                endpoint.name, endpoint.format ?? "-", endpoint.state, String(endpoint.pending), String(endpoint.dead),
                endpoint.oldestPendingAt.map { IncidentTable.age(now - $0) } ?? "-", endpoint.url ?? "-",
            ])
        }
        print(IncidentTable.render(rows), terminator: "")
    }
}

struct WebhooksTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a signed sample notification to an endpoint now and print the receiver's answer.",
        discussion: """
            The sample is an info incident INC-0 titled "Vigil test notification: ignore me", in \
            the endpoint's format, signed with its secrets, sent outside the queue (it is not \
            retried or recorded). Exits 1 unless the receiver answered 2xx.
            """)
    @OptionGroup var api: APIOptions
    @Argument(help: ArgumentHelp("The endpoint's name.", valueName: "name")) var name: String

    func run() throws {
        struct Body: Decodable {
            let id: String
            let status: Int?
            let body: String?
            let error: String?
            let latency_ms: Double
        }
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? name
        let result = try IncidentsAPI(api).decode(Body.self, "POST", "/v1/webhooks/\(encoded)/test")
        let latency = String(format: "%.1f ms", result.latency_ms)
        if let status = result.status {
            print("\(name): HTTP \(status) in \(latency) (webhook-id \(result.id))")
            if let body = result.body, !body.isEmpty { print(TerminalText.escaped(body)) }
            if !(200..<300).contains(status) { throw ExitCode(1) }
        } else {
            print("\(name): no answer after \(latency): \(result.error ?? "unknown error") (webhook-id \(result.id))")
            throw ExitCode(1)
        }
    }
}

struct WebhooksDeliveriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "Deliveries, newest first: endpoint, incident, event, state, attempts, last status or error.")
    @OptionGroup var api: APIOptions
    @Flag(name: .long, help: "Only dead ones (failed for good).") var failed = false
    @Flag(name: .long, help: "Only pending ones.") var pending = false
    @Option(name: .long, help: ArgumentHelp("Only those about this incident (INC-42).", valueName: "incident")) var incident: String?
    @Option(name: .long, help: ArgumentHelp("Only those to this endpoint.", valueName: "name")) var endpoint: String?
    @Option(name: [.customShort("n"), .customLong("lines")], help: ArgumentHelp("At most this many (1–1000).", valueName: "n")) var limit = 50
    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format")) var output = IncidentOutput.table

    func run() throws {
        struct Body: Decodable { let deliveries: [WebhookDelivery] }
        var states: [String] = []
        if failed { states.append("dead") }
        if pending { states.append("pending") }
        let path =
            "/v1/webhooks/deliveries"
            + IncidentsAPI.query([
                ("state", states.isEmpty ? nil : states.joined(separator: ",")), ("incident", incident), ("endpoint", endpoint),
                ("limit", String(limit)),
            ])
        let api = try IncidentsAPI(self.api)
        let deliveries = try api.decode(Body.self, "GET", path).deliveries
        if output == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for delivery in deliveries { print(String(decoding: try encoder.encode(delivery), as: UTF8.self)) }
            return
        }
        let now = WallClock.now()
        var rows = [["ID", "ENDPOINT", "INCIDENT", "EVENT", "STATE", "ATTEMPTS", "AGE", "LAST"]]
        for delivery in deliveries {
            var last = delivery.lastStatus.map { "HTTP \($0)" } ?? "-"
            if let error = delivery.lastError, delivery.state != .delivered { last = error }
            if delivery.state == .pending, let next = delivery.nextAttemptAt, delivery.attempts > 0 {
                last += "; next in \(IncidentTable.age(max(0, next - now)))"
            }
            rows.append([
                delivery.id, delivery.endpoint, delivery.incidentReference ?? "-", delivery.event.rawValue, delivery.state.rawValue,
                String(delivery.attempts), IncidentTable.age(now - delivery.createdAt), last,
            ])
        }
        print(IncidentTable.render(rows), terminator: "")
    }
}

struct WebhooksRetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put a dead delivery (or every dead one) back in the queue, due now.",
        discussion: "The delivery keeps its webhook-id, so a receiver that did get it can tell the repeat.")
    @OptionGroup var api: APIOptions
    @Argument(help: ArgumentHelp("The delivery's id (its webhook-id).", valueName: "id")) var id: String?
    @Flag(name: .long, help: "Every dead delivery (with --endpoint, that endpoint's).") var allDead = false
    @Option(name: .long, help: ArgumentHelp("With --all-dead: only this endpoint's.", valueName: "name")) var endpoint: String?

    func validate() throws {
        if (id == nil) == !allDead { throw ValidationError("give a delivery id or --all-dead (not both)") }
    }

    func run() throws {
        let api = try IncidentsAPI(self.api)
        if allDead {
            struct Body: Decodable { let requeued: Int }
            let body = try api.decode(Body.self, "POST", "/v1/webhooks/deliveries/retry-dead" + IncidentsAPI.query([("endpoint", endpoint)]))
            print("\(body.requeued) dead \(body.requeued == 1 ? "delivery" : "deliveries") queued again")
        } else if let id {
            let encoded = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
            let delivery = try api.decode(WebhookDelivery.self, "POST", "/v1/webhooks/deliveries/\(encoded)/retry")
            print("\(delivery.id) to \(delivery.endpoint) queued again (\(delivery.event) of \(delivery.incidentReference ?? "-"))")
        }
    }
}
