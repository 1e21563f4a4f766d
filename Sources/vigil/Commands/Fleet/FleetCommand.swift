import ArgumentParser
import Foundation
import VigilCore
import VigilFormats

/// `vigil fleet …`: fleet mode's state through vigild's management API.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Show fleet mode's state: an edge's forwarding to NATS, a central vigild's edges (through vigild's API).",
        discussion: """
            In fleet mode edge vigild forward their store to a NATS JetStream stream ([outputs.nats]) \
            and a central vigild consumes it ([inputs.nats]); `vigil query` on the central host \
            then sees every host's records (-H HOST for one). See README "Fleet".

            EXAMPLES
              vigil fleet status                                  # on the central host: every edge
              VIGIL_SERVER=http://edge1:8081 vigil fleet status   # one edge's forwarder
            """,
        subcommands: [FleetStatusCommand.self]
    )
}

struct FleetStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The forwarder (cursor, sequence, blocks not yet sent) and the edges a central vigild hears from.",
        discussion: """
            FORWARDER (an edge): connected or not, the last sequence JetStream acknowledged, the \
            blocks of the local store not sent yet (PENDING), when the last acknowledgement came, \
            and the last error.

            EDGES (a central vigild): one row per edge (its host and edge id): the last sequence \
            committed here, when (LAST COMMIT), the newest record's time, and LAG, the time from \
            the edge's publish to the commit here. MESSAGES WAITING is what the stream holds for \
            this vigild and it has not taken yet.
            """)
    @OptionGroup var api: APIOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format")) var output = IncidentOutput.table

    struct Body: Decodable {
        struct Forwarder: Decodable {
            let edge_id: String
            let host: String
            let subject: String
            let connected: Bool
            let sequence: UInt64
            let pending_blocks: Int
            let last_acknowledged: Int64?
            let last_error: String?
        }
        struct Input: Decodable {
            struct Edge: Decodable {
                let edge_id: String
                let host: String
                let sequence: UInt64
                let last_committed: Int64
                let last_record_time: Int64
                let lag_seconds: Double
            }
            let connected: Bool
            let pending: UInt64
            let edges: [Edge]
            let last_error: String?
        }
        let forwarder: Forwarder?
        let input: Input?
    }

    func run() throws {
        let api = try IncidentsAPI(self.api)
        if output == .json {
            FileHandle.standardOutput.write(try api.call("GET", "/v1/fleet"))
            return
        }
        let body = try api.decode(Body.self, "GET", "/v1/fleet")
        let now = WallClock.now()
        if body.forwarder == nil, body.input == nil {
            print("fleet mode is off on this vigild (no [outputs.nats] or [inputs.nats])")
            return
        }
        if let forwarder = body.forwarder {
            print("FORWARDER \(forwarder.host) (edge \(forwarder.edge_id)) → \(forwarder.subject)")
            var rows = [["CONNECTED", "SEQUENCE", "PENDING", "LAST ACK", "ERROR"]]
            rows.append([
                forwarder.connected ? "yes" : "no", String(forwarder.sequence), "\(forwarder.pending_blocks) blocks",
                forwarder.last_acknowledged.map { IncidentTable.age(now - $0) + " ago" } ?? "-",
                TerminalText.escaped(forwarder.last_error ?? "-"),
            ])
            print(IncidentTable.render(rows), terminator: "")
        }
        if let input = body.input {
            if body.forwarder != nil { print("") }
            print("EDGES (NATS \(input.connected ? "connected" : "not connected"); messages waiting: \(input.pending))")
            var rows = [["HOST", "EDGE ID", "SEQUENCE", "LAST COMMIT", "NEWEST RECORD", "LAG"]]
            for edge in input.edges {
                rows.append([
                    TerminalText.escaped(edge.host), edge.edge_id, String(edge.sequence), IncidentTable.age(now - edge.last_committed) + " ago",
                    TimeFormatter.rfc3339(edge.last_record_time, fractionDigits: 0), String(format: "%.2f s", edge.lag_seconds),
                ])
            }
            print(IncidentTable.render(rows), terminator: "")
            if let error = input.last_error { print("last error: \(TerminalText.escaped(error))") }
        }
    }
}
