import Dispatch
import Foundation
import Hummingbird
import NIOCore
import VigilCore
import VigilFormats
import VigilIncidents
import VigilRegex
import VigilStore

/// The handlers of `/v1/incidents…` and `/v1/reports/incidents`: listing, reading, the timeline,
/// the evidence records, and the actions (ack, resolve, reopen, merge, notes, assignee).
struct IncidentRoutes: Sendable {
    let store: any IncidentStore
    let dataDirectory: String
    let maxBodyBytes: Int

    /// Evidence records served by `…/logs` at most per request.
    static let maximumLogLimit = 10_000

    // MARK: Reads

    func list(_ request: Request) async throws(APIError) -> Response {
        let parameters = request.uri.queryParameters
        var query = IncidentQuery()
        query.statuses = try Self.list(parameters, "status", IncidentStatus.init(rawValue:), allowed: IncidentStatus.allCases.map(\.rawValue))
        query.severities = try Self.list(
            parameters, "severity", IncidentSeverity.init(rawValue:), allowed: IncidentSeverity.allCases.map(\.rawValue))
        if let since = Self.value(parameters, "since") { query.since = try Self.time(since, "since") }
        query.text = Self.value(parameters, "q")
        query.service = Self.value(parameters, "service")
        if let limit = Self.value(parameters, "limit") { query.limit = try Self.integer(limit, "limit", in: 1...1000) }
        if let cursor = Self.value(parameters, "cursor") { query.cursor = try Self.integer(cursor, "cursor", in: 0...Int.max) }
        let page = try await APIError.answering { try await store.incidents(query) }
        return APIResponse.json(IncidentListBody(incidents: page.incidents, nextCursor: page.nextCursor.map(String.init)))
    }

    func show(_ reference: String) async throws(APIError) -> Response {
        let incident = try await APIError.answering { try await store.incident(reference) }
        let notes = try await APIError.answering { try await store.notes(incident.id) }
        return APIResponse.json(IncidentDetailBody(incident: incident, notes: notes))
    }

    func timeline(_ reference: String) async throws(APIError) -> Response {
        let events = try await APIError.answering { try await store.timeline(reference) }
        var body = Array("{\"events\":[".utf8)
        for (index, event) in events.enumerated() {
            if index > 0 { body.append(0x2C) }
            body.append(contentsOf: event.json.utf8)
        }
        body.append(contentsOf: "]}\n".utf8)
        return APIResponse.raw(body)
    }

    /// The evidence records, read from the store with the incident's range and filter, as NDJSON in
    /// `vigil query -o json`'s form.
    func logs(_ reference: String, request: Request) async throws(APIError) -> Response {
        let incident = try await APIError.answering { try await store.incident(reference) }
        var limit = 100
        if let text = Self.value(request.uri.queryParameters, "limit") {
            limit = try Self.integer(text, "limit", in: 1...Self.maximumLogLimit)
        }
        let filter = try Self.filter(incident.evidence)
        let directory = dataDirectory, count = limit
        // Reading segments blocks: off the cooperative pool.
        let body = try await DispatchQueue.global().run { () throws(APIError) -> [UInt8] in
            do {
                let reader = try StoreReader(directory: directory)
                var formatter = RecordFormatter(mode: .json, utc: true)
                var output: [UInt8] = []
                // One thread: a request's few blocks, beside ingestion.
                reader.read(filter, limit: count, threads: 1) { record in
                    formatter.append(record, to: &output)
                    return true
                }
                return output
            } catch {
                throw APIError(status: .internalServerError, reason: "cannot read the store: \(error)")
            }
        }
        return APIResponse.raw(body, contentType: "application/x-ndjson")
    }

    func report(_ request: Request) async throws(APIError) -> Response {
        let now = WallClock.now()
        var since = now - 30 * 86_400_000_000_000
        var until = now
        if let text = Self.value(request.uri.queryParameters, "since") { since = try Self.time(text, "since", now: now) }
        if let text = Self.value(request.uri.queryParameters, "until") { until = try Self.time(text, "until", now: now) }
        return APIResponse.json(try await APIError.answering { try await store.report(since: since, until: until) })
    }

    // MARK: Actions

    func acknowledge(_ reference: String, by actor: String) async throws(APIError) -> Response {
        APIResponse.json(try await APIError.answering { try await store.acknowledge(reference, by: actor, now: WallClock.now()) }.incident)
    }

    func resolve(_ reference: String, by actor: String) async throws(APIError) -> Response {
        APIResponse.json(try await APIError.answering { try await store.resolve(reference, by: actor, now: WallClock.now()) }.incident)
    }

    func reopen(_ reference: String, by actor: String) async throws(APIError) -> Response {
        APIResponse.json(try await APIError.answering { try await store.reopen(reference, by: actor, now: WallClock.now()) }.incident)
    }

    func merge(_ reference: String, request: Request, by actor: String) async throws(APIError) -> Response {
        let body = try await JSONBody.object(request, limit: maxBodyBytes)
        guard let target = body["into"] as? String, !target.isEmpty else {
            throw .badRequest("the body needs \"into\": the incident to merge into (an id or INC-n)")
        }
        let changes = try await APIError.answering { try await store.merge(reference, into: target, by: actor, now: WallClock.now()) }
        return APIResponse.json(changes[0].incident)
    }

    func addNote(_ reference: String, request: Request, by actor: String) async throws(APIError) -> Response {
        let body = try await JSONBody.object(request, limit: maxBodyBytes)
        guard let text = body["text"] as? String, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .badRequest("the body needs \"text\": the note, not empty")
        }
        let change = try await APIError.answering { try await store.addNote(reference, text: text, by: actor, now: WallClock.now()) }
        return APIResponse.json(IncidentNote(author: actor, text: text, time: change.incident.updatedAt), status: .created)
    }

    func update(_ reference: String, request: Request, by actor: String) async throws(APIError) -> Response {
        let body = try await JSONBody.object(request, limit: maxBodyBytes)
        guard body.keys.count == 1, body.keys.first == "assignee" else {
            throw .badRequest("the body may only set \"assignee\" (a name, or null to clear it)")
        }
        let assignee: String?
        switch body["assignee"] {
        case let name as String where !name.isEmpty: assignee = name
        case is NSNull: assignee = nil
        default: throw .badRequest("\"assignee\" must be a non-empty string or null")
        }
        return APIResponse.json(try await APIError.answering { try await store.assign(reference, to: assignee, by: actor, now: WallClock.now()) }.incident)
    }

    // MARK: Helpers

    /// A query parameter's value; an empty one (`?since=`) counts as absent.
    static func value(_ parameters: Parameters, _ name: String) -> String? {
        guard let value = parameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// A comma-separated (or repeated) parameter of known words.
    static func list<T>(
        _ parameters: Parameters, _ name: String, _ make: (String) -> T?, allowed: [String]
    ) throws(APIError) -> [T] {
        var values: [T] = []
        for text in parameters.getAll(name) where !text.isEmpty {
            for word in text.split(separator: ",") {
                guard let value = make(String(word)) else {
                    throw .badRequest("\(name) \"\(word)\" is not one of \(allowed.joined(separator: ", "))")
                }
                values.append(value)
            }
        }
        return values
    }

    static func integer(_ text: String, _ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw .badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
        }
        return value
    }

    /// A time as `vigil query --since` takes it; a bare duration (`30d`) means that long ago.
    static func time(_ text: String, _ name: String, now: Int64 = WallClock.now()) throws(APIError) -> Int64 {
        if let span = DurationParser.parse(text), span >= 0, now - span <= now { return now - span }
        guard let time = TimeExpression.parse(text, now: now) else {
            throw .badRequest("\(name) \"\(text)\" is not a time (RFC 3339, -1h, 30d, today, @EPOCH)")
        }
        return time
    }

    /// The store filter that selects an incident's evidence records.
    static func filter(_ evidence: IncidentEvidence) throws(APIError) -> RecordFilter {
        var filter = RecordFilter()
        filter.since = evidence.since
        filter.until = evidence.until
        filter.services = evidence.services
        filter.hosts = evidence.hosts
        filter.minimumSeverity = evidence.minimumSeverity
        filter.fieldEquals = evidence.fields.map { ($0.name, $0.value) }
        if let pattern = evidence.messagePattern {
            do {
                filter.messagePattern = try PCRE2Regex(pattern)
            } catch {
                throw APIError(status: .internalServerError, reason: "the incident's message pattern does not compile: \(error)")
            }
        }
        return filter
    }
}

/// `GET /v1/incidents`: a page and the cursor of the next.
struct IncidentListBody: Encodable {
    let incidents: [Incident]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case incidents, nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(incidents, forKey: .incidents)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// `GET /v1/incidents/{id}`: the incident with its notes.
struct IncidentDetailBody: Encodable {
    let incident: Incident
    let notes: [IncidentNote]

    enum CodingKeys: String, CodingKey { case notes }

    func encode(to encoder: any Encoder) throws {
        try incident.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(notes, forKey: .notes)
    }
}
