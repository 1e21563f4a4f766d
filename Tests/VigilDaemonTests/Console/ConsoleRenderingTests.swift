import Foundation
import Testing
import VigilCore
import VigilDetect
import VigilIncidents
@testable import VigilDaemon

/// The console's templates rendered on values, hostile ones included: log lines and titles are
/// attacker-controlled, so every one must come out as text.
@Suite struct ConsoleRenderingTests {
    static let hostile = #"<script>alert(1)</script> "><img src=x onerror=alert(2)> & 'q'"#
    let now: Int64 = 1_800_000_000 * 1_000_000_000

    func incident(title: String = hostile, status: IncidentStatus = .firing) -> Incident {
        Incident(
            id: "id-1", number: 7, title: title, severity: .error, status: status, fingerprint: "f", detector: "rule", name: "errors",
            labels: [GroupValue(name: "service", value: Self.hostile)], firstSeen: now, lastSeen: now, openedAt: now, signalCount: 6,
            evidence: IncidentEvidence(since: now, until: now, services: ["api"]), updatedAt: now)
    }

    let session = ConsoleSessions.Session(actor: "ops", cookie: "c", csrf: "token-123")

    /// No tag or attribute from the hostile string survives: only its escaped text.
    func expectInert(_ html: String) {
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("\"><img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
    }

    @Test func theIncidentsPageEscapesTitlesAndServices() {
        let page = IncidentsPage(
            hostname: "web<1>", session: session,
            sections: [IncidentsSection(heading: "Open", rows: [IncidentRow(incident(), now: now + 90_000_000_000)])],
            statuses: [Choice(value: "open", label: "open", selected: true)], severities: [], service: Self.hostile, flash: Self.hostile)
        let html = ConsoleTemplates.render(page, "incidents")
        expectInert(html)
        #expect(html.contains(#"<a href="/ui/incidents/INC-7">INC-7</a>"#))
        #expect(html.contains("<title>Incidents · Vigil on web&lt;1&gt;</title>"))
        #expect(html.contains(#"<span class="status status-firing">firing</span>"#))
        #expect(html.contains(">1m<"))
        #expect(html.contains(#"value="token-123""#))
        #expect(html.contains("Open <span class=\"muted\">(1)</span>"))
    }

    @Test func theIncidentPageEscapesEvidenceAndOffersTheActionsItsStateAllows() {
        func render(_ status: IncidentStatus, session: ConsoleSessions.Session?, explanation: SignalExplanation? = nil) -> String {
            let incident = incident(status: status)
            let page = IncidentPage(
                hostname: "h", session: session, path: "/ui/incidents/INC-7", incident: IncidentDetail(incident), can: Actions(status),
                chart: BarChart(buckets: [.init(start: now, all: 3, errors: 1)], width: 60_000_000_000, window: now...now).svg,
                streamName: "service api", evidence: ["2026-12-07T04:38:01Z h api: " + Self.hostile], logsLink: "/ui/logs?since=x",
                queryCommand: "vigil query -g '" + Self.hostile + "'", explanation: explanation,
                timeline: [TimelineRow(time: "t", type: "opened", actor: Self.hostile)],
                notes: [NoteRow(time: "t", author: "ops", text: Self.hostile)], flash: nil)
            return ConsoleTemplates.render(page, "incident")
        }
        let firing = render(.firing, session: session)
        expectInert(firing)
        #expect(firing.contains(#"action="/ui/incidents/INC-7/ack""#) && firing.contains(#"action="/ui/incidents/INC-7/resolve""#))
        #expect(!firing.contains("/reopen"))
        #expect(firing.contains(#"<svg class="chart""#))
        #expect(firing.contains("<title>INC-7 &lt;script&gt;"))
        #expect(firing.contains("<h2>Notes</h2>"))
        let resolved = render(.resolved, session: session)
        #expect(resolved.contains("/ui/incidents/INC-7/reopen") && !resolved.contains("/ack\""))
        // Without a login: no forms, a link to log in.
        let anonymous = render(.firing, session: nil)
        #expect(!anonymous.contains("<form method=\"post\" action=\"/ui/incidents"))
        #expect(anonymous.contains("/ui/login?next=/ui/incidents/INC-7"))
        #expect(!anonymous.contains(#"id="why""#), "a rule's incident has no explanation")
        // A statistical detector's incident says why: observed, expected, band, settings (escaped).
        let explained = render(
            .firing, session: nil,
            explanation: SignalExplanation(
                measure: Self.hostile, observed: 412, expected: 35, lower: 12, upper: 70,
                parameters: [GroupValue(name: "open_threshold", value: "5.0"), GroupValue(name: "bucket", value: "10s")]))
        expectInert(explained)
        #expect(explained.contains(#"<p id="why"><strong>Why:</strong> 412 "#))
        #expect(explained.contains("expected 35 (normal 12–70)"))
        #expect(explained.contains("bucket 10s · open_threshold 5.0"))
    }

    @Test func theLogsPageEscapesFieldsAndFormValues() {
        var form = LogsForm(["grep": Self.hostile, "service": "api"])
        form.until = "-5m"
        var page = LogsPage(hostname: "h", session: nil, form: form)
        page.records = [LogLine(line: Self.hostile, fields: [Field(name: Self.hostile, value: Self.hostile)])]
        page.queryCommand = form.queryCommand
        page.olderLink = "/ui/logs?" + form.queryString
        let html = ConsoleTemplates.render(page, "logs")
        expectInert(html)
        #expect(html.contains(#"<details class="record">"#))
        #expect(html.contains(#"id="older""#))
    }

    @Test func aChartIsNumbersOnly() {
        let chart = BarChart(
            buckets: (0..<60).map { .init(start: now + Int64($0) * 60_000_000_000, all: $0, errors: $0 / 2) }, width: 60_000_000_000,
            window: (now + 600_000_000_000)...(now + 1_200_000_000_000))
        let svg = chart.svg
        #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>"))
        #expect(svg.contains(#"class="window""#))
        #expect(svg.components(separatedBy: #"class="all""#).count - 1 == 59)
        #expect(svg.components(separatedBy: #"class="errors""#).count - 1 == 58)
        #expect(svg.contains("aria-label=\"records per bucket, peak 59\""))
    }

    @Test func sessionsAreSignedExpireAndCarryTheirCSRFToken() throws {
        let sessions = ConsoleSessions(key: Array(repeating: 7, count: 32))
        let cookie = sessions.cookie(for: "ops", now: 1000)
        let session = try #require(sessions.session(cookieHeader: "a=b; vigil_session=\(cookie)", now: 1001))
        #expect(session.actor == "ops")
        #expect(sessions.checks(csrf: session.csrf, for: session))
        #expect(!sessions.checks(csrf: "x", for: session) && !sessions.checks(csrf: nil, for: session))
        // Expired, tampered with, or signed under another key: no session.
        #expect(sessions.session(cookieHeader: "vigil_session=\(cookie)", now: 1000 + ConsoleSessions.lifetime) == nil)
        let forged = ConsoleSessions.base64URL(Array("v1|admin|99999999999".utf8)) + "." + cookie.split(separator: ".")[1]
        #expect(sessions.session(cookieHeader: "vigil_session=\(forged)", now: 1001) == nil)
        #expect(ConsoleSessions(key: Array(repeating: 8, count: 32)).session(cookieHeader: "vigil_session=\(cookie)", now: 1001) == nil)
        #expect(ConsoleSessions.setCookie(cookie).contains("HttpOnly; SameSite=Strict"))
    }

    @Test func theSearchFormBecomesAStoreFilterOrAReason() throws {
        let filter = try LogsForm(["since": "-1h", "service": "api, web", "level": "err", "grep": "time(d|out)", "field": "code=500"]).filter(now: now)
        #expect(filter.since == now - 3_600_000_000_000)
        #expect(filter.services == ["api", "web"])
        #expect(filter.minimumSeverity == .err)
        #expect(filter.fieldEquals.map(\.key) == ["code"])
        #expect(throws: ConsoleError.self) { try LogsForm(["since": "yesterday-ish"]).filter(now: now) }
        #expect(throws: ConsoleError.self) { try LogsForm(["grep": "(unclosed"]).filter(now: now) }
        #expect(LogsForm(["service": "api", "grep": "a b"]).queryCommand == "vigil query --since -1h -u api -g 'a b'")
    }

    @Test func redirectsAfterLoginStayInTheConsole() {
        #expect(ConsoleRoutes.safeNext("/ui/incidents/INC-1") == "/ui/incidents/INC-1")
        #expect(ConsoleRoutes.safeNext("https://evil.example/") == "/ui/")
        #expect(ConsoleRoutes.safeNext("//evil.example/ui") == "/ui/")
        #expect(ConsoleRoutes.safeNext(nil) == "/ui/")
        #expect(ConsoleRoutes.parseForm("token=a%2Bb+c&next=%2Fui%2F") == ["token": "a+b c", "next": "/ui/"])
    }
}
