import Foundation
import Testing
import VigilTestSupport

/// Two vigild sharing one PostgreSQL database (`[incidents] backend = "postgres"`), both receiving
/// the same error bursts: one incident per problem, its count the sum of both detectors' signals,
/// and each webhook delivered once between them to a real HTTP receiver.
@Suite(.serialized) struct SharedIncidentsTests {
    @Test func twoVigildOnOnePostgresMakeOneIncidentPerProblemAndDeliverEachWebhookOnce() async throws {
        let url = try await PostgresServerProcess.shared().database("shared")
        let first = Scratch(), second = Scratch()
        defer {
            first.remove()
            second.remove()
        }
        let receiver = try await WebhookReceiver(scratch: first, secrets: [WebhookTests.secretA])
        defer { receiver.stop() }
        let configuration = IncidentTests.quickRule + """

            [incidents]
            backend = "postgres"
            url = "\(url)"
            [[webhooks]]
            name = "events"
            url = "\(receiver.url("/ok/events"))"
            secrets = ["\(WebhookTests.secretA)"]
            """
        let daemons = [first, second].map { DaemonProcess(scratch: $0, extraConfiguration: configuration) }
        for daemon in daemons { try await daemon.start() }

        // The same bursts reach both, at the same moment.
        let services = (1...5).map { "svc-\($0)" }
        let burst = services.map { IncidentTests.records(8, service: $0) }.joined()
        let urls = daemons.map { $0.url + "/v1/logs" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for url in urls {
                group.addTask {
                    let result = try await curl(
                        ["-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/x-ndjson", "--data-binary", "@-", url],
                        stdin: burst)
                    if result.stdout != "204" { throw DaemonTestError(description: "POST \(url) answered \(result.stdout)") }
                }
            }
            try await group.waitForAll()
        }
        let opened = try await receiver.waitFor(services.count, timeout: .seconds(20)) { Self.event($0) == "opened" }
        var incidents: [[String: Any]] = []
        try await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            incidents = try await daemons[1].incidents()
            return incidents.count == services.count && incidents.allSatisfy { $0["signal_count"] as? Int == 2 }
        }
        // One incident per service, seen alike by both, each counting one signal from each vigild.
        #expect(incidents.count == services.count)
        #expect(Set(incidents.compactMap { ($0["labels"] as? [String: String])?["service"] }) == Set(services))
        #expect(incidents.allSatisfy { $0["signal_count"] as? Int == 2 })
        #expect(Set(incidents.compactMap { $0["number"] as? Int }) == Set(1...services.count))
        #expect(try await daemons[0].incidents().count == services.count)
        let firing = try await daemons.asyncMap { try await curl([$0.url + "/v1/signals"]).lines.filter { $0.contains(#""status":"firing""#) }.count }
        #expect(firing == [services.count, services.count])

        // The windows drain: both detectors resolve; each incident resolves once, announced once.
        let resolved = try await receiver.waitFor(services.count, timeout: .seconds(40)) { Self.event($0) == "resolved" }
        try await Task.sleep(for: .seconds(2))
        let requests = receiver.requests()
        #expect(requests.count == 2 * services.count)
        let ids = requests.compactMap { ($0["headers"] as? [String: String])?["webhook-id"] }
        #expect(Set(ids).count == requests.count)
        #expect(Set(opened.map(Self.subject)).count == services.count)
        #expect(Set(resolved.map(Self.subject)).count == services.count)
        #expect(requests.allSatisfy { ($0["library"] as? [Bool])?.first == true })
        for daemon in daemons { #expect(await daemon.stop() == 0) }
    }

    /// `opened` from `com.vigil.incident.opened.v1`.
    static func event(_ request: [String: Any]) -> String {
        let type = WebhookReceiver.json(request)["type"] as? String ?? ""
        return type.split(separator: ".").dropFirst(3).first.map(String.init) ?? ""
    }

    static func subject(_ request: [String: Any]) -> String {
        WebhookReceiver.json(request)["subject"] as? String ?? ""
    }
}

extension Array {
    /// `transform` applied to each element in turn.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
