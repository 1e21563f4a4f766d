import Foundation
import VigilCore
import VigilDetect
import VigilIncidents
import VigilRegex
import VigilStore

// The values the console's templates render. Plain structs: swift-mustache reads their stored
// properties by reflection (computed ones are invisible to it), and every string is HTML-escaped by
// `{{…}}`.

/// An option of a `<select>`.
struct Choice: Sendable {
    let value: String
    let label: String
    let selected: Bool
}

/// The nav marker: which section a page belongs to.
struct NavSection: Sendable {
    var incidents = false
    var logs = false
    var status = false
}

struct NameValue: Sendable {
    let name: String
    let value: String
}

struct IncidentRow: Sendable {
    let severity: String
    let reference: String
    let title: String
    let service: String
    let status: String
    let signals: Int
    let age: String
    let flaps: Int

    init(_ incident: Incident, now: Int64) {
        severity = incident.severity.rawValue
        reference = incident.reference
        title = incident.title
        service = incident.label("service") ?? "-"
        status = incident.status.rawValue
        signals = incident.signalCount
        age = ConsoleRoutes.age(now - incident.openedAt)
        flaps = incident.flapCount
    }
}

struct IncidentsSection: Sendable {
    let heading: String
    let rows: [IncidentRow]
    let count: Int

    init(heading: String, rows: [IncidentRow]) {
        self.heading = heading
        self.rows = rows
        count = rows.count
    }
}

struct IncidentsPage: Sendable {

    let title = "Incidents"
    let hostname: String
    let session: ConsoleSessions.Session?
    let section = NavSection(incidents: true)
    let refresh = 30
    let sections: [IncidentsSection]
    let statuses: [Choice]
    let severities: [Choice]
    let service: String
    let flash: String?
}

/// The incident's facts as text, with MTTA and MTTR so far.
struct IncidentDetail: Sendable {
    let reference: String
    let title: String
    let severity: String
    let status: String
    let mergedInto: String?
    let firstSeen: String
    let lastSeen: String
    let openedAt: String
    let acknowledged: String
    let resolved: String
    let signals: Int
    let flaps: Int
    let labels: String
    let detector: String
    let name: String
    let assignee: String

    init(_ incident: Incident) {
        reference = incident.reference
        title = incident.title
        severity = incident.severity.rawValue
        status = incident.status.rawValue
        mergedInto = incident.mergedInto
        firstSeen = ConsoleRoutes.time(incident.firstSeen)
        lastSeen = ConsoleRoutes.time(incident.lastSeen)
        openedAt = ConsoleRoutes.time(incident.openedAt)
        if let at = incident.acknowledgedAt {
            acknowledged = "\(ConsoleRoutes.time(at)) by \(incident.acknowledgedBy ?? "?") (MTTA \(ConsoleRoutes.age(at - incident.openedAt)))"
        } else {
            acknowledged = "not yet (\(ConsoleRoutes.age(WallClock.now() - incident.openedAt)) open)"
        }
        if let at = incident.resolvedAt {
            resolved = "\(ConsoleRoutes.time(at)) by \(incident.resolvedBy ?? "?") (MTTR \(ConsoleRoutes.age(at - incident.openedAt)))"
        } else {
            resolved = "not yet"
        }
        signals = incident.signalCount
        flaps = incident.flapCount
        labels = incident.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        detector = incident.detector
        name = incident.name
        assignee = incident.assignee ?? "nobody"
    }
}

/// Which actions the incident's status allows (the lifecycle refuses the rest with a reason).
struct Actions: Sendable {
    let ack: Bool
    let resolve: Bool
    let reopen: Bool
    let merge: Bool

    init(_ status: IncidentStatus) {
        ack = status == .firing
        resolve = status == .firing || status == .acknowledged
        reopen = status == .resolved
        merge = status == .firing || status == .acknowledged
    }
}

struct TimelineRow: Sendable {
    let time: String
    let type: String
    let actor: String
}

struct NoteRow: Sendable {
    let time: String
    let author: String
    let text: String
}

struct IncidentPage: Sendable {
    let title: String
    let hostname: String
    let session: ConsoleSessions.Session?
    let section = NavSection(incidents: true)
    let refresh = 30
    let path: String
    let incident: IncidentDetail
    let can: Actions
    let chart: String
    let streamName: String
    let evidence: [String]
    let logsLink: String
    let queryCommand: String
    /// Why a statistical signal fired (observed, expected, normal band), when it was one.
    let why: String?
    /// The settings that decided it: `open_threshold 0.6 · bucket 10s · …`.
    let whySettings: String?
    let timeline: [TimelineRow]
    let notes: [NoteRow]
    let hasNotes: Bool
    let flash: String?

    init(
        hostname: String, session: ConsoleSessions.Session?, path: String, incident: IncidentDetail, can: Actions, chart: String,
        streamName: String, evidence: [String], logsLink: String, queryCommand: String, explanation: SignalExplanation?,
        timeline: [TimelineRow], notes: [NoteRow], flash: String?
    ) {
        title = "\(incident.reference) \(incident.title)"
        self.hostname = hostname
        self.session = session
        self.path = path
        self.incident = incident
        self.can = can
        self.chart = chart
        self.streamName = streamName
        self.evidence = evidence
        self.logsLink = logsLink
        self.queryCommand = queryCommand
        why = explanation?.summary
        whySettings = explanation.map { $0.parameters.map { "\($0.name) \($0.value)" }.joined(separator: " · ") }
        self.timeline = timeline
        self.notes = notes
        hasNotes = !notes.isEmpty
        self.flash = flash
    }
}

struct Field: Sendable {
    let name: String
    let value: String
}

struct LogLine: Sendable {
    let line: String
    let fields: [Field]
}

/// The log search form, as typed: each field is one of `vigil query`'s filters.
struct LogsForm: Sendable {
    var since: String
    var until: String
    var service: String
    var host: String
    var level: String
    var grep: String
    var field: String

    init(_ parameters: [String: String]) {
        since = parameters["since"] ?? "-1h"
        until = parameters["until"] ?? ""
        service = parameters["service"] ?? ""
        host = parameters["host"] ?? ""
        level = parameters["level"] ?? ""
        grep = parameters["grep"] ?? ""
        field = parameters["field"] ?? ""
    }

    /// The store filter, or a reason the form is wrong.
    func filter(now: Int64) throws(ConsoleError) -> RecordFilter {
        var filter = RecordFilter()
        if !since.isEmpty {
            guard let time = TimeExpression.parse(since, now: now) else { throw .badRequest("since \"\(since)\" is not a time (RFC 3339, -1h, today, @EPOCH)") }
            filter.since = time
        }
        if !until.isEmpty {
            guard let time = TimeExpression.parse(until, now: now) else { throw .badRequest("until \"\(until)\" is not a time (RFC 3339, -1h, today, @EPOCH)") }
            filter.until = time
        }
        filter.services = Self.list(service)
        filter.hosts = Self.list(host)
        if !level.isEmpty {
            guard let severity = Severity(parsing: level) else { throw .badRequest("level \"\(level)\" is not a syslog severity (emerg … debug)") }
            filter.minimumSeverity = severity
        }
        if !grep.isEmpty {
            do {
                filter.messagePattern = try PCRE2Regex(grep)
            } catch {
                throw .badRequest("the message pattern does not compile: \(error)")
            }
        }
        if !field.isEmpty {
            let parts = field.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else { throw .badRequest("field \"\(field)\" is not key=value") }
            filter.fieldEquals = [(String(parts[0]), String(parts[1]))]
        }
        return filter
    }

    /// The form as a query string, for links.
    var queryString: String {
        [("since", since), ("until", until), ("service", service), ("host", host), ("level", level), ("grep", grep), ("field", field)]
            .filter { !$0.1.isEmpty }.map { "\($0.0)=\(ConsoleRoutes.escapeQuery($0.1))" }.joined(separator: "&")
    }

    /// The `vigil query` command line that searches the same.
    var queryCommand: String {
        var arguments = ["vigil", "query"]
        if !since.isEmpty { arguments += ["--since", since] }
        if !until.isEmpty { arguments += ["--until", until] }
        for service in Self.list(service) { arguments += ["-u", service] }
        for host in Self.list(host) { arguments += ["-H", host] }
        if !level.isEmpty { arguments += ["-p", level] }
        if !grep.isEmpty { arguments += ["-g", grep] }
        if !field.isEmpty { arguments += ["-F", field] }
        return arguments.map(ShellQuoting.quoted).joined(separator: " ")
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

struct LogsPage: Sendable {
    let title = "Logs"
    let hostname: String
    let session: ConsoleSessions.Session?
    let section = NavSection(logs: true)
    let form: LogsForm
    var levels: [Choice] = []
    var error: String?
    var total = 0
    var rangeText = ""
    var chart = ""
    var records: [LogLine] = []
    var olderLink: String?
    var queryCommand = ""
    let flash: String? = nil

    init(hostname: String, session: ConsoleSessions.Session?, form: LogsForm) {
        self.hostname = hostname
        self.session = session
        self.form = form
    }
}

struct WebhookRow: Sendable {
    let name: String
    let format: String
    let state: String
    let pending: Int
    let dead: Int
    let oldest: String
    let url: String
}

struct StatusPage: Sendable {
    let title = "Status"
    let hostname: String
    let session: ConsoleSessions.Session?
    let section = NavSection(status: true)
    let refresh = 15
    let inputs: [MetricsHistory.InputRow]
    let store: [NameValue]
    let detectors: [NameValue]
    let incidentCounts: [NameValue]
    let webhooks: [WebhookRow]
    let flash: String? = nil
}

struct LoginPage: Sendable {
    let title = "Log in"
    let hostname: String
    let session: ConsoleSessions.Session? = nil
    let section = NavSection()
    let next: String
    let error: String?
    let flash: String? = nil
}

struct MessagePage: Sendable {
    let title: String
    let hostname: String
    let session: ConsoleSessions.Session?
    let section = NavSection()
    let heading: String
    let text: String
    let back: String
    let isError: Bool
    let flash: String? = nil

    init(hostname: String, session: ConsoleSessions.Session?, heading: String, text: String, back: String, isError: Bool) {
        title = heading
        self.hostname = hostname
        self.session = session
        self.heading = heading
        self.text = text
        self.back = back
        self.isError = isError
    }
}
