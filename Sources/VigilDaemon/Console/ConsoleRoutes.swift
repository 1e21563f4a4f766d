import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore
import VigilFormats
import VigilIncidents
import VigilNotify
import VigilRegex
import VigilStore

/// The web console under `/ui/` on the management API's listener: incidents, one incident with its
/// chart, evidence, timeline and actions, a log search, and a status page. Pages are rendered on
/// the server and work without JavaScript. Reads follow `[api] anonymous_reads`; otherwise, and
/// for every action, a login with an API token sets a signed session cookie, and forms carry a
/// CSRF token.
struct ConsoleRoutes: Sendable {
    let store: any IncidentStore
    let dispatcher: WebhookDispatcher
    let dataDirectory: String
    let authenticator: APIAuthenticator
    let sessions: ConsoleSessions
    let metrics: MetricsHistory
    let hostname: String
    let maxBodyBytes: Int

    /// Registers the console's routes.
    func register(on router: Router<DaemonRequestContext>) {
        router.get("/ui") { request, context in await page(request, context) { viewer throws(ConsoleError) in try await incidents(request, viewer) } }
        router.get("/ui/incidents/:id") { request, context in
            await page(request, context) { viewer throws(ConsoleError) in try await incident(context.parameters.get("id") ?? "", request, viewer) }
        }
        router.post("/ui/incidents/:id/:action") { request, context in await act(request, context) }
        router.get("/ui/logs") { request, context in await page(request, context) { viewer throws(ConsoleError) in try await logs(request, viewer) } }
        router.get("/ui/status") { request, context in await page(request, context) { viewer throws(ConsoleError) in try await status(viewer) } }
        router.get("/ui/login") { request, _ in
            html(ConsoleTemplates.render(LoginPage(hostname: hostname, next: Self.safeNext(Self.query(request)["next"]), error: nil), "login"))
        }
        router.post("/ui/login") { request, context in await login(request, context) }
        router.post("/ui/logout") { request, _ in
            var headers = HTTPFields()
            headers[.setCookie] = ConsoleSessions.clearCookie
            headers[.location] = "/ui/login"
            _ = request
            return Response(status: .seeOther, headers: headers)
        }
        router.get("/ui/style.css") { _, _ in Self.asset(ConsoleAssets.stylesheet, type: "text/css; charset=utf-8") }
        router.get("/ui/console.js") { _, _ in Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8") }
    }

    // MARK: - Access

    /// Who is looking: a logged-in session, or an anonymous reader.
    struct Viewer: Sendable {
        var session: ConsoleSessions.Session?
    }

    private func viewer(_ request: Request, _ context: DaemonRequestContext) -> Viewer? {
        if let session = sessions.session(cookieHeader: request.headers[.cookie], now: WallClock.now() / 1_000_000_000) {
            return Viewer(session: session)
        }
        if authenticator.anonymousReads, context.isLoopback { return Viewer(session: nil) }
        return nil
    }

    /// A page for a viewer, or the login form for someone who must log in first.
    private func page(
        _ request: Request, _ context: DaemonRequestContext, _ render: (Viewer) async throws(ConsoleError) -> String
    ) async -> Response {
        guard let viewer = viewer(request, context) else {
            return Self.redirect("/ui/login?next=" + Self.escapeQuery(request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")))
        }
        do throws(ConsoleError) {
            return html(try await render(viewer))
        } catch {
            return html(message(error.heading, error.text, back: "/ui/", viewer: viewer, isError: true), status: error.status)
        }
    }

    private func login(_ request: Request, _ context: DaemonRequestContext) async -> Response {
        let form = await Self.form(request, limit: maxBodyBytes)
        let next = Self.safeNext(form["next"])
        guard let token = form["token"], let name = authenticator.name(of: token) else {
            return html(
                ConsoleTemplates.render(LoginPage(hostname: hostname, next: next, error: "That token is not one of [api] tokens."), "login"),
                status: .unauthorized)
        }
        var headers = HTTPFields()
        headers[.setCookie] = ConsoleSessions.setCookie(sessions.cookie(for: name, now: WallClock.now() / 1_000_000_000))
        headers[.location] = next
        return Response(status: .seeOther, headers: headers)
    }

    // MARK: - Incidents

    private func incidents(_ request: Request, _ viewer: Viewer) async throws(ConsoleError) -> String {
        let parameters = Self.query(request)
        let status = parameters["status"] ?? "open"
        let severity = parameters["severity"].flatMap(IncidentSeverity.init(rawValue:))
        let service = parameters["service"].flatMap { $0.isEmpty ? nil : $0 }
        var base = IncidentQuery()
        base.severities = severity.map { minimum in IncidentSeverity.allCases.filter { $0.isAtLeast(minimum) } } ?? []
        base.service = service
        var sections: [IncidentsSection] = []
        let now = WallClock.now()
        func section(_ heading: String, _ statuses: [IncidentStatus], limit: Int) async throws(ConsoleError) {
            var query = base
            query.statuses = statuses
            query.limit = limit
            let page = try await call { try await store.incidents(query) }
            sections.append(IncidentsSection(heading: heading, rows: page.incidents.map { IncidentRow($0, now: now) }))
        }
        switch status {
        case "open":
            try await section("Open", [.firing, .acknowledged], limit: 200)
            try await section("Recently ended", [.resolved, .merged], limit: 50)
        case "all":
            try await section("All, newest first", [], limit: 200)
        default:
            guard let chosen = IncidentStatus(rawValue: status) else { throw .badRequest("status \"\(status)\" is not open, all, firing, acknowledged, resolved or merged") }
            try await section(chosen.rawValue.capitalized, [chosen], limit: 200)
        }
        let page = IncidentsPage(
            hostname: hostname, session: viewer.session, sections: sections,
            statuses: ["open", "all", "firing", "acknowledged", "resolved", "merged"].map { Choice(value: $0, label: $0, selected: $0 == status) },
            severities: [Choice(value: "", label: "any", selected: severity == nil)]
                + IncidentSeverity.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == severity) },
            service: service ?? "", flash: parameters["flash"])
        return ConsoleTemplates.render(page, "incidents")
    }

    private func incident(_ reference: String, _ request: Request, _ viewer: Viewer) async throws(ConsoleError) -> String {
        let incident = try await call { try await store.incident(reference) }
        let notes = try await call { try await store.notes(incident.id) }
        let timeline = try await call { try await store.timeline(incident.id) }
        let minute: Int64 = 60_000_000_000
        // The stream around the incident: its services and hosts, every severity, ± 30 min.
        var stream = RecordFilter()
        stream.services = incident.evidence.services
        stream.hosts = incident.evidence.hosts
        let from = (incident.firstSeen - 30 * minute) / minute * minute
        let to = incident.lastSeen + 30 * minute
        var width = minute
        while (to - from) / width > 120 { width *= 2 }
        let buckets = Int((to - from) / width) + 1
        let evidenceFilter: RecordFilter
        do throws(APIError) { evidenceFilter = try IncidentRoutes.filter(incident.evidence) } catch { throw .internal(error.reason) }
        let directory = dataDirectory, streamFilter = stream, bucketWidth = width
        let (histogram, evidence) = try await DispatchQueue.global().run { () throws(ConsoleError) -> (StoreHistogram, [String]) in
            let reader = try Self.reader(directory)
            let histogram = reader.histogram(streamFilter, start: from, width: bucketWidth, buckets: buckets)
            var lines: [String] = []
            var formatter = RecordFormatter(mode: .shortPrecise, utc: true)
            // One thread: a page's few blocks, beside ingestion.
            reader.read(evidenceFilter, limit: 20, threads: 1) { record in
                var bytes: [UInt8] = []
                formatter.append(record, to: &bytes)
                lines.append(String(decoding: bytes.dropLast(), as: UTF8.self))
                return true
            }
            return (histogram, lines)
        }
        let chart = BarChart(
            buckets: zip(histogram.all.indices, zip(histogram.all, histogram.errors)).map {
                BarChart.Bucket(start: from + Int64($0) * width, all: $1.0, errors: $1.1)
            }, width: width, window: incident.firstSeen...incident.lastSeen)
        let page = IncidentPage(
            hostname: hostname, session: viewer.session, path: Self.escapeQuery("/ui/incidents/\(incident.reference)"),
            incident: IncidentDetail(incident), can: Actions(incident.status), chart: chart.svg,
            streamName: Self.streamName(incident.evidence), evidence: evidence,
            logsLink: Self.logsLink(incident.evidence), queryCommand: incident.evidence.queryCommand,
            explanation: incident.evidence.explanation, timeline: timeline.map {
                TimelineRow(time: Self.time($0.time), type: $0.type.rawValue.replacingOccurrences(of: "_", with: " "), actor: $0.actor)
            },
            notes: notes.map { NoteRow(time: Self.time($0.time), author: $0.author, text: $0.text) },
            flash: Self.query(request)["flash"])
        return ConsoleTemplates.render(page, "incident")
    }

    /// `POST /ui/incidents/{id}/{ack|resolve|reopen|note|merge}` from the incident page's forms.
    private func act(_ request: Request, _ context: DaemonRequestContext) async -> Response {
        let reference = context.parameters.get("id") ?? ""
        let action = context.parameters.get("action") ?? ""
        let form = await Self.form(request, limit: maxBodyBytes)
        let back = "/ui/incidents/" + Self.escapeQuery(reference)
        guard let session = sessions.session(cookieHeader: request.headers[.cookie], now: WallClock.now() / 1_000_000_000) else {
            return Self.redirect("/ui/login?next=" + Self.escapeQuery(back))
        }
        let viewer = Viewer(session: session)
        guard sessions.checks(csrf: form["csrf"], for: session) else {
            return html(message("Not done", "The form was not sent by this console (its CSRF token does not match). Reload the page and try again.", back: back, viewer: viewer, isError: true), status: .forbidden)
        }
        let now = WallClock.now()
        let actor = session.actor
        do throws(ConsoleError) {
            let done: String
            switch action {
            case "ack": done = try await call { try await store.acknowledge(reference, by: actor, now: now) }.incident.reference + " acknowledged"
            case "resolve": done = try await call { try await store.resolve(reference, by: actor, now: now) }.incident.reference + " resolved"
            case "reopen": done = try await call { try await store.reopen(reference, by: actor, now: now) }.incident.reference + " reopened"
            case "note":
                guard let text = form["text"], !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .badRequest("a note needs text") }
                _ = try await call { try await store.addNote(reference, text: text, by: actor, now: now) }
                done = "note added"
            case "merge":
                guard let target = form["into"], !target.isEmpty else { throw .badRequest("say which incident to merge into") }
                _ = try await call { try await store.merge(reference, into: target, by: actor, now: now) }
                done = "merged into \(target)"
            default:
                throw .notFound("no action \"\(action)\"")
            }
            return Self.redirect(back + "?flash=" + Self.escapeQuery(done))
        } catch {
            return html(message(error.heading, error.text, back: back, viewer: viewer, isError: true), status: error.status)
        }
    }

    // MARK: - Logs

    private func logs(_ request: Request, _ viewer: Viewer) async throws(ConsoleError) -> String {
        let parameters = Self.query(request)
        let form = LogsForm(parameters)
        var page = LogsPage(hostname: hostname, session: viewer.session, form: form)
        page.levels = [Choice(value: "", label: "any", selected: form.level.isEmpty)]
            + Severity.allCases.map { Choice(value: $0.name, label: $0.name, selected: $0.name == form.level) }
        let filter: RecordFilter
        let now = WallClock.now()
        do throws(ConsoleError) {
            filter = try form.filter(now: now)
        } catch {
            page.error = error.text
            return ConsoleTemplates.render(page, "logs")
        }
        let since = filter.since ?? now - 3_600_000_000_000
        let until = filter.until ?? now
        let span = max(until - since, 60_000_000_000)
        let width = max(1_000_000_000, (span / 60 + 999_999_999) / 1_000_000_000 * 1_000_000_000)
        let directory = dataDirectory
        let limit = 50
        let (histogram, records) = try await DispatchQueue.global().run { () throws(ConsoleError) -> (StoreHistogram, [LogRecord]) in
            // One pass over the range's blocks: the histogram and the newest page together.
            var ranged = filter
            ranged.since = since
            ranged.until = until
            let (histogram, records) = try Self.reader(directory).histogram(
                ranged, start: since, width: width, buckets: Int(span / width) + 1, newest: limit + 1)
            return (histogram, records)
        }
        page.total = histogram.total
        page.rangeText = "\(Self.time(since)) – \(Self.time(until))"
        page.chart = BarChart(
            buckets: histogram.all.indices.map { BarChart.Bucket(start: since + Int64($0) * width, all: histogram.all[$0], errors: histogram.errors[$0]) },
            width: width, window: nil
        ).svg
        var formatter = RecordFormatter(mode: .shortPrecise, utc: true)
        page.records = records.prefix(limit).map { record in
            var bytes: [UInt8] = []
            formatter.append(record, to: &bytes)
            var fields = [
                Field(name: "time", value: TimeFormatter.rfc3339(record.time, fractionDigits: 9)), Field(name: "host", value: record.host),
                Field(name: "service", value: record.service), Field(name: "severity", value: record.severity.name),
            ]
            if let facility = record.facility { fields.append(Field(name: "facility", value: "\(facility)")) }
            fields.append(Field(name: "message", value: record.message))
            record.fields.forEachField { key, value in fields.append(Field(name: copy key, value: copy value)) }
            return LogLine(line: String(decoding: bytes.dropLast(), as: UTF8.self), fields: fields)
        }
        if records.count > limit, let last = records.prefix(limit).last {
            var older = form
            older.until = "@" + Self.epoch(last.time - 1)
            older.since = TimeFormatter.rfc3339(since, fractionDigits: 9)
            page.olderLink = "/ui/logs?" + older.queryString
        }
        page.queryCommand = form.queryCommand
        return ConsoleTemplates.render(page, "logs")
    }

    // MARK: - Status

    private func status(_ viewer: Viewer) async throws(ConsoleError) -> String {
        let directory = dataDirectory
        let statistics = try await DispatchQueue.global().run { () throws(ConsoleError) -> StoreStatistics in
            StoreStatistics(catalog: try Self.reader(directory).catalog)
        }
        let snapshot = metrics.snapshot(
            store: (statistics.storedBytes, statistics.sourceBytes, statistics.records, statistics.segments))
        let endpoints = (try? await dispatcher.endpoints()) ?? []
        let open = (try? await store.openCounts()) ?? [:]
        let now = WallClock.now()
        let page = StatusPage(
            hostname: hostname, session: viewer.session, inputs: snapshot.inputs, store: snapshot.store, detectors: snapshot.detectors,
            incidentCounts: IncidentSeverity.allCases.map { NameValue(name: "open, \($0.rawValue)", value: "\(open[$0] ?? 0)") },
            webhooks: endpoints.map {
                WebhookRow(
                    name: $0.name, format: $0.format ?? "-", state: $0.state, pending: $0.pending, dead: $0.dead,
                    oldest: $0.oldestPendingAt.map { Self.age(now - $0) } ?? "-", url: $0.url ?? "-")
            })
        return ConsoleTemplates.render(page, "status")
    }

    // MARK: - Helpers

    private func call<T>(_ body: () async throws -> T) async throws(ConsoleError) -> T {
        do {
            return try await body()
        } catch let error as IncidentStoreError {
            switch error {
            case .notFound, .deliveryNotFound: throw .notFound(error.description)
            case .transition: throw .conflict(error.description)
            default: throw .internal(error.description)
            }
        } catch {
            throw .internal("\(error)")
        }
    }

    private func message(_ heading: String, _ text: String, back: String, viewer: Viewer, isError: Bool) -> String {
        ConsoleTemplates.render(MessagePage(hostname: hostname, session: viewer.session, heading: heading, text: text, back: back, isError: isError), "message")
    }

    private func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // Nothing from elsewhere, no framing: the pages are the console's own.
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// Only a path of this console: never another site (an open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/ui"), !next.hasPrefix("//"), !next.contains("\\") else { return "/ui/" }
        return next
    }

    static func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    /// An `application/x-www-form-urlencoded` body (empty when it is too large or malformed).
    static func form(_ request: Request, limit: Int) async -> [String: String] {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: limit) else { return [:] }
        return parseForm(String(buffer: buffer))
    }

    static func parseForm(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }

    static func escapeQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? text
    }

    static func time(_ nanos: Int64) -> String { TimeFormatter.rfc3339(nanos, fractionDigits: 0) }

    static func epoch(_ nanos: Int64) -> String {
        "\(nanos / 1_000_000_000).\(String(format: "%09lld", nanos % 1_000_000_000))"
    }

    /// `3m`, `2h 5m`, `4d 1h`.
    static func age(_ nanos: Int64) -> String {
        let seconds = max(0, nanos / 1_000_000_000)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(seconds % 3600 / 60)m" }
        return "\(seconds / 86_400)d \(seconds % 86_400 / 3600)h"
    }

    static func streamName(_ evidence: IncidentEvidence) -> String {
        let parts = evidence.services.map { "service \($0)" } + evidence.hosts.map { "host \($0)" }
        return parts.isEmpty ? "every record" : parts.joined(separator: ", ")
    }

    static func logsLink(_ evidence: IncidentEvidence) -> String {
        var form = LogsForm([:])
        form.since = TimeFormatter.rfc3339(evidence.since, fractionDigits: 9)
        form.until = TimeFormatter.rfc3339(evidence.until, fractionDigits: 9)
        form.service = evidence.services.joined(separator: ",")
        form.host = evidence.hosts.joined(separator: ",")
        form.level = evidence.minimumSeverity?.name ?? ""
        form.grep = evidence.messagePattern ?? ""
        form.field = evidence.fields.first.map { "\($0.name)=\($0.value)" } ?? ""
        return "/ui/logs?" + form.queryString
    }

    static func reader(_ directory: String) throws(ConsoleError) -> StoreReader {
        do {
            return try StoreReader(directory: directory)
        } catch {
            throw .internal("cannot read the store: \(error)")
        }
    }
}

/// Why a console page could not be shown.
struct ConsoleError: Error, Sendable {
    let status: HTTPResponse.Status
    let heading: String
    let text: String

    static func badRequest(_ text: String) -> ConsoleError { ConsoleError(status: .badRequest, heading: "Not understood", text: text) }
    static func notFound(_ text: String) -> ConsoleError { ConsoleError(status: .notFound, heading: "Not found", text: text) }
    static func conflict(_ text: String) -> ConsoleError { ConsoleError(status: .conflict, heading: "Not done", text: text) }
    static func `internal`(_ text: String) -> ConsoleError { ConsoleError(status: .internalServerError, heading: "Something failed", text: text) }
}
