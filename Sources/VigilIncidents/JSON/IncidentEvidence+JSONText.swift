import Foundation
import VigilCore
import VigilDetect

extension IncidentEvidence {
    /// Reads the JSON `IncidentJSONWriter.evidence(_:)` wrote, through `JSONSerialization`: the
    /// store reads an incident's evidence on every touch, and `JSONDecoder` costs several times more.
    public init(json: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw IncidentJSONError(reason: "evidence is not a JSON object")
        }
        func time(_ key: String, in object: [String: Any]) throws -> Int64 {
            guard let text = object[key] as? String, let time = TimestampParser.parseRFC3339(text) else {
                throw IncidentJSONError(reason: "evidence \(key) is not an RFC 3339 time")
            }
            return time
        }
        func severity(_ name: Any?) throws -> Severity? {
            guard let name = name as? String else { return nil }
            guard let severity = Severity(parsing: name) else { throw IncidentJSONError(reason: "unknown severity \(name)") }
            return severity
        }
        let fields = (object["fields"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { GroupValue(name: $0.key, value: $0.value) }
        var records: [EvidenceRecord] = []
        for case let record as [String: Any] in object["records"] as? [Any] ?? [] {
            records.append(
                EvidenceRecord(
                    time: try time("time", in: record), host: record["host"] as? String ?? "", service: record["service"] as? String ?? "",
                    severity: try severity(record["severity"]) ?? .info, message: record["message"] as? String ?? ""))
        }
        self.init(
            since: try time("since", in: object), until: try time("until", in: object), services: object["services"] as? [String] ?? [],
            hosts: object["hosts"] as? [String] ?? [], minimumSeverity: try severity(object["min_severity"]),
            messagePattern: object["message"] as? String, fields: fields, records: records,
            explanation: (object["explanation"] as? [String: Any]).flatMap(SignalExplanation.init(jsonObject:)))
    }
}

extension SignalExplanation {
    /// Reads the object `IncidentJSONWriter.explanation(_:)` or `jsonObject` wrote; nil when it is
    /// not one (an explanation is shown, never relied on).
    public init?(jsonObject object: [String: Any]) {
        guard let measure = object["measure"] as? String, let observed = (object["observed"] as? NSNumber)?.doubleValue,
            let expected = (object["expected"] as? NSNumber)?.doubleValue
        else { return nil }
        let parameters = (object["parameters"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
            .map { GroupValue(name: $0.key, value: $0.value) }
        self.init(
            measure: measure, observed: observed, expected: expected,
            lower: (object["lower"] as? NSNumber)?.doubleValue ?? expected, upper: (object["upper"] as? NSNumber)?.doubleValue ?? expected,
            parameters: parameters)
    }
}

/// Stored incident JSON that cannot be read back.
public struct IncidentJSONError: Error, CustomStringConvertible {
    /// What is wrong.
    public let reason: String
    public var description: String { reason }
}
