import Foundation
import VigilCore

/// Reads back a record that `vigil query -o json` (and the API's `…/logs`) printed.
enum RecordJSON {
    static func record(_ line: Data) -> LogRecord? {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            let timeText = object["time"] as? String, let time = TimestampParser.parseRFC3339(timeText)
        else { return nil }
        var fields = LogFields()
        for (name, value) in (object["fields"] as? [String: String] ?? [:]).sorted(by: { $0.key < $1.key }) { fields[name] = value }
        return LogRecord(
            time: time, receivedAt: (object["received_at"] as? String).flatMap { TimestampParser.parseRFC3339($0) },
            host: object["host"] as? String ?? "", service: object["service"] as? String ?? "",
            severity: (object["level"] as? String).flatMap { Severity(parsing: $0) } ?? .info,
            facility: (object["facility"] as? String).flatMap { Facility(parsing: $0) }, message: object["message"] as? String ?? "",
            fields: fields, isRaw: object["raw"] as? Bool ?? false)
    }
}
