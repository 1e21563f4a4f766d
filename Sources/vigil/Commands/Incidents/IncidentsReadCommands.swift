import ArgumentParser
import Foundation
import VigilCore
import VigilFormats
import VigilIncidents

/// `-o table` (default) or `-o json`.
enum IncidentOutput: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

struct IncidentsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List incidents, newest first.",
        discussion: """
            Filters combine with AND; --status and --severity take comma-separated lists. \
            -o json prints one incident per line (NDJSON), as the API serves them.
            """)

    @OptionGroup var api: APIOptions

    @Option(name: .long, help: ArgumentHelp("firing, acknowledged, resolved, merged (comma-separated).", valueName: "status"))
    var status: String?

    @Option(name: .long, help: ArgumentHelp("critical, error, warning, info (comma-separated).", valueName: "severity"))
    var severity: String?

    @Option(
        name: [.customShort("S"), .long],
        help: ArgumentHelp("Opened at or after: RFC 3339, -1h, 30d, today, @EPOCH.", valueName: "time"))
    var since: String?

    @Option(name: [.customShort("q"), .long], help: ArgumentHelp("Only titles containing this text.", valueName: "text"))
    var query: String?

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("Incidents per page (1-1000).", valueName: "n"))
    var limit = 50

    @Flag(name: .long, help: "Every page, not just the first.")
    var all = false

    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format"))
    var output = IncidentOutput.table

    func run() throws {
        let api = try IncidentsAPI(self.api)
        var incidents: [Incident] = []
        var cursor: String?
        repeat {
            let path = "/v1/incidents" + IncidentsAPI.query([
                ("status", status), ("severity", severity), ("since", since), ("q", query), ("limit", String(limit)), ("cursor", cursor),
            ])
            let page = try api.decode(IncidentPageBody.self, "GET", path)
            incidents += page.incidents
            cursor = page.nextCursor
        } while all && cursor != nil
        switch output {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for incident in incidents { print(String(decoding: try encoder.encode(incident), as: UTF8.self)) }
        case .table:
            if incidents.isEmpty {
                StandardError.line("No incidents.")
            } else {
                print(IncidentTable.list(incidents, now: WallClock.now()), terminator: "")
            }
        }
        if let cursor, !all { StandardError.line("(more: --all, or the next page with the API's cursor=\(cursor))") }
    }
}

struct IncidentsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one incident: its state, who did what, its evidence and notes.")

    @OptionGroup var api: APIOptions

    @Argument(help: ArgumentHelp("INC-42, 42 or the incident's UUID.", valueName: "incident"))
    var incident: String

    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format"))
    var output = IncidentOutput.table

    func run() throws {
        let api = try IncidentsAPI(self.api)
        switch output {
        case .json:
            FileHandle.standardOutput.write(try api.call("GET", IncidentsAPI.path(incident)))
        case .table:
            let detail = try api.decode(IncidentDetail.self, "GET", IncidentsAPI.path(incident))
            print(IncidentTable.detail(detail.incident, notes: detail.notes), terminator: "")
        }
    }
}

struct IncidentsTimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Show an incident's history, oldest first.",
        discussion: "-o json prints each CloudEvents 1.0 event on a line of its own, exactly as stored.")

    @OptionGroup var api: APIOptions

    @Argument(help: ArgumentHelp("INC-42, 42 or the incident's UUID.", valueName: "incident"))
    var incident: String

    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format"))
    var output = IncidentOutput.table

    func run() throws {
        let api = try IncidentsAPI(self.api)
        let body = try api.call("GET", IncidentsAPI.path(incident) + "/timeline")
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let events = object["events"] as? [[String: Any]]
        else { throw IncidentsAPI.Refusal(description: "the API's timeline could not be read") }
        if output == .json {
            for event in events {
                print(String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            }
            return
        }
        var rows = [["TIME", "EVENT", "ACTOR", "STATUS", "SEVERITY", "SIGNALS"]]
        for event in events {
            let data = event["data"] as? [String: Any] ?? [:]
            var type = event["type"] as? String ?? "?"
            if let parsed = IncidentEventType(name: type) { type = parsed.rawValue }
            var status = data["status"] as? String ?? "-"
            if let note = data["note"] as? [String: Any], let text = note["text"] as? String { status = "\"\(text)\"" }
            rows.append([
                event["time"] as? String ?? "-", type, event["actor"] as? String ?? "-", status, data["severity"] as? String ?? "-",
                (data["signal_count"] as? Int).map(String.init) ?? "-",
            ])
        }
        print(IncidentTable.render(rows.map { row in [row[0], row[1], row[2], row[4], row[5], row[3]] }), terminator: "")
    }
}

struct IncidentsLogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print an incident's evidence records, read from the store, as vigil query would.",
        discussion: "vigild reads the records with the incident's time range and filter (the query `vigil incidents show` prints).")

    @OptionGroup var api: APIOptions

    @Argument(help: ArgumentHelp("INC-42, 42 or the incident's UUID.", valueName: "incident"))
    var incident: String

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("At most this many records (1-10000).", valueName: "n"))
    var limit = 100

    @Option(name: .shortAndLong, help: ArgumentHelp("short, short-iso, short-precise, json or cat.", valueName: "format"))
    var output = "short"

    @Flag(name: .long, help: "Print times in UTC.")
    var utc = false

    @Flag(name: [.customShort("a"), .long], help: "Print control characters in the records as they are.")
    var all = false

    func validate() throws {
        guard RecordFormatter.Mode(rawValue: output) != nil else {
            throw ValidationError("-o: expected short, short-iso, short-precise, json or cat, got \"\(output)\"")
        }
    }

    func run() throws {
        let api = try IncidentsAPI(self.api)
        let body = try api.call("GET", IncidentsAPI.path(incident) + "/logs" + IncidentsAPI.query([("limit", String(limit))]))
        let mode = RecordFormatter.Mode(rawValue: output)!
        if mode == .json {
            FileHandle.standardOutput.write(body)
            return
        }
        var formatter = RecordFormatter(mode: mode, utc: utc, raw: all)
        var out = OutputBuffer()
        for line in body.split(separator: 0x0A) where !line.isEmpty {
            guard let record = RecordJSON.record(Data(line)) else { continue }
            formatter.append(record, to: &out.bytes)
            out.flushIfFull()
        }
        out.flush()
    }
}

struct IncidentsReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Incidents opened in a period: counts, MTTA, MTTR and the fingerprints that flap most.",
        discussion: """
            MTTA (mean time to acknowledge) runs from an incident's opening to its first \
            acknowledgement, over the incidents acknowledged; MTTR (mean time to resolve) from its \
            opening to its resolution, over the incidents resolved now. Both also show the median \
            (p50) and the 90th percentile (p90).
            """)

    @OptionGroup var api: APIOptions

    @Option(name: [.customShort("S"), .long], help: ArgumentHelp("Start of the period: 30d, -1w, RFC 3339…", valueName: "time"))
    var since = "30d"

    @Option(name: [.customShort("U"), .long], help: ArgumentHelp("End of the period (default now).", valueName: "time"))
    var until: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format"))
    var output = IncidentOutput.table

    func run() throws {
        let api = try IncidentsAPI(self.api)
        let path = "/v1/reports/incidents" + IncidentsAPI.query([("since", since), ("until", until)])
        if output == .json {
            FileHandle.standardOutput.write(try api.call("GET", path))
            return
        }
        let report = try api.decode(IncidentReport.self, "GET", path)
        func seconds(_ value: Double?) -> String { value.map(IncidentTable.duration) ?? "-" }
        let period = TimeFormatter.rfc3339(report.since, fractionDigits: 0) + " .. " + TimeFormatter.rfc3339(report.until, fractionDigits: 0)
        var text = "Incidents opened \(period): \(report.total)\n"
        let severities: [String] = IncidentSeverity.allCases.map { severity in "\(severity) \(report.bySeverity[severity.rawValue] ?? 0)" }
        text += "  by severity: " + severities.joined(separator: ", ") + "\n"
        let detectors: [String] = report.byDetector.sorted { $0.key < $1.key }.map { entry in "\(entry.key) \(entry.value)" }
        text += "  by detector: " + detectors.joined(separator: ", ") + "\n"
        let summaries: [(String, DurationSummary)] = [("MTTA", report.timeToAcknowledge), ("MTTR", report.timeToResolve)]
        for (name, summary) in summaries {
            let figures = "mean \(seconds(summary.mean)), p50 \(seconds(summary.p50)), p90 \(seconds(summary.p90))"
            text += "  \(name): \(figures) (\(summary.count) incidents)\n"
        }
        if report.flapping.isEmpty {
            text += "  no fingerprint flapped\n"
        } else {
            text += "  flapping:\n"
            var rows: [[String]] = [["    FINGERPRINT", "FLAPS", "INCIDENTS", "TITLE"]]
            for entry in report.flapping {
                rows.append(["    " + entry.fingerprint, String(entry.flaps), String(entry.incidents), entry.title])
            }
            text += IncidentTable.render(rows)
        }
        print(text, terminator: "")
    }
}
