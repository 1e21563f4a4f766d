import Foundation
import Testing
import VigilIncidentsTestSupport
import VigilCore
import VigilDetect
@testable import VigilIncidents

/// The hand-written JSON is exactly what `JSONEncoder` with sorted keys makes of the `Codable`
/// form, so the API, the timeline and the rows agree byte for byte.
@Suite struct IncidentJSONWriterTests {
    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static var awkward: Incident {
        var incident = Signals.incident("api \"quoted\" \\ back/slash\ttab\u{1b}[31m é 日本 \u{7f}", number: 42)
        incident.labels.append(GroupValue(name: "host", value: "web-1\n"))
        incident.assignee = "alice"
        incident.acknowledgedAt = 1_800_000_000_123_456_789
        incident.acknowledgedBy = "ops"
        incident.mergedInto = "x"
        incident.evidence.messagePattern = "time(out)?"
        incident.evidence.fields = [GroupValue(name: "status", value: "500")]
        incident.evidence.explanation = SignalExplanation(
            measure: "records per 10s", observed: 412, expected: 35.25, lower: 12.5, upper: 70.125,
            parameters: [GroupValue(name: "open_threshold", value: "5.0"), GroupValue(name: "bucket", value: "10s")])
        return incident
    }

    @Test(arguments: [Signals.incident(), awkward])
    func anIncidentIsWrittenAsJSONEncoderWritesIt(_ incident: Incident) throws {
        var writer = IncidentJSONWriter()
        writer.incident(incident)
        #expect(writer.text == (try Self.encoded(incident)))
        let decoded = try JSONDecoder().decode(Incident.self, from: Data(writer.bytes))
        #expect(decoded.evidence == incident.evidence)
        #expect(decoded.title == incident.title)
    }

    @Test func aTimelineEventCarriesItsNoteInSortedPlace() throws {
        let note = IncidentNote(author: "ops", text: "looking \"now\"", time: 5)
        let json = CloudEventEncoder(hostname: "h").encode(
            id: "e1", type: .noteAdded, time: 7, actor: "ops", incident: Self.awkward, note: note)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["actor", "data", "datacontenttype", "id", "source", "specversion", "subject", "time", "type"])
        let data = try #require(object["data"] as? [String: Any])
        #expect((data["note"] as? [String: Any])?["text"] as? String == "looking \"now\"")
        var expected = try #require(try JSONSerialization.jsonObject(with: Data(try Self.encoded(Self.awkward).utf8)) as? [String: Any])
        expected["note"] = data["note"]
        #expect(NSDictionary(dictionary: data).isEqual(to: expected))
    }
}

extension IncidentJSONWriterTests {
    @Test(arguments: [Signals.incident().evidence, awkward.evidence])
    func evidenceReadsBackAsWritten(_ evidence: IncidentEvidence) throws {
        var writer = IncidentJSONWriter()
        writer.evidence(evidence)
        #expect(try IncidentEvidence(json: writer.text) == evidence)
    }
}

extension IncidentJSONWriterTests {
    @Test(arguments: [Int64(0), 1, 999_999_999, 1_000_000_000, 1_800_000_000_123_456_789, -1, -86_400_000_000_001, Int64.max, Int64.min])
    func timesAreWrittenAsVigilTimeWritesThem(_ nanos: Int64) {
        var writer = IncidentJSONWriter()
        writer.time(nanos)
        #expect(writer.text == "\"" + VigilTime.rfc3339(nanos) + "\"")
    }

    @Test func evidenceKeepsTheNewestRecordsOnceEach() {
        let a = EvidenceRecord(time: 1, host: "h", service: "s", severity: .err, message: "a")
        let b = EvidenceRecord(time: 2, host: "h", service: "s", severity: .err, message: "b")
        let b2 = EvidenceRecord(time: 2, host: "h", service: "s", severity: .err, message: "b2")
        let c = EvidenceRecord(time: 3, host: "h", service: "s", severity: .err, message: "c")
        #expect(IncidentEvidence.newest([c, b, a, b, b2, c], limit: 10) == [a, b, b2, c])
        #expect(IncidentEvidence.newest([c, b, a, b2], limit: 2) == [b2, c])
        #expect(IncidentEvidence.newest([a], limit: 0).isEmpty)
    }
}
