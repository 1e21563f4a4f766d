import Foundation
import VigilCore
import VigilFormats
import VigilIncidents

/// Text output of `vigil incidents`: a `kubectl get`-style table, and the long form of one incident.
enum IncidentTable {
    /// Columns padded to their widest cell, two spaces apart; the last is not padded. Cells come
    /// from logs, so their control characters are shown escaped.
    static func render(_ rows: [[String]]) -> String {
        let rows = rows.map { $0.map(TerminalText.escaped) }
        guard let width = rows.first?.count else { return "" }
        var widths = Array(repeating: 0, count: width)
        for row in rows { for (index, cell) in row.enumerated() where index < width - 1 { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == width - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `ID STATUS SEVERITY SIGNALS AGE ASSIGNEE TITLE`.
    static func list(_ incidents: [Incident], now: Int64) -> String {
        var rows = [["ID", "STATUS", "SEVERITY", "SIGNALS", "AGE", "ASSIGNEE", "TITLE"]]
        for incident in incidents {
            rows.append([
                incident.reference, incident.status.rawValue, incident.severity.rawValue, String(incident.signalCount),
                age(now - incident.openedAt), incident.assignee ?? "-", incident.title,
            ])
        }
        return render(rows)
    }

    /// The long form: every field, the evidence and the notes.
    static func detail(_ incident: Incident, notes: [IncidentNote]) -> String {
        func time(_ nanos: Int64?) -> String { nanos.map { TimeFormatter.rfc3339($0, fractionDigits: 3) } ?? "-" }
        var status = incident.status.rawValue
        if incident.status == .merged, let target = incident.mergedInto { status += " into \(target)" }
        let labels = incident.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        var lines = [
            "\(incident.reference)  \(incident.title)",
            "  status:        \(status)",
            "  severity:      \(incident.severity)",
            "  detector:      \(incident.detector) \(incident.name)\(labels.isEmpty ? "" : " (\(labels))")",
            "  fingerprint:   \(incident.fingerprint)",
            "  id:            \(incident.id)",
            "  first seen:    \(time(incident.firstSeen))",
            "  last seen:     \(time(incident.lastSeen))",
            "  opened:        \(time(incident.openedAt))",
            "  acknowledged:  \(time(incident.acknowledgedAt))\(incident.acknowledgedBy.map { " by \($0)" } ?? "")",
            "  resolved:      \(time(incident.resolvedAt))\(incident.resolvedBy.map { " by \($0)" } ?? "")",
            "  signals:       \(incident.signalCount)   flaps: \(incident.flapCount)",
            "  assignee:      \(incident.assignee ?? "-")",
            "  evidence:      \(incident.evidence.queryCommand)",
        ]
        for record in incident.evidence.records {
            lines.append("    \(TimeFormatter.rfc3339(record.time, fractionDigits: 3)) \(record.host.isEmpty ? "-" : record.host) \(record.service.isEmpty ? "-" : record.service): \(record.message)")
        }
        if !notes.isEmpty {
            lines.append("  notes:")
            for note in notes { lines.append("    \(time(note.time)) \(note.author): \(note.text)") }
        }
        return lines.map(TerminalText.escaped).joined(separator: "\n") + "\n"
    }

    /// `850ms`, `13.2s`, `2m01s`, `1h05m`, `3d04h`: a duration for people.
    static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        if whole < 86400 { return String(format: "%dh%02dm", whole / 3600, whole / 60 % 60) }
        return String(format: "%dd%02dh", whole / 86400, whole / 3600 % 24)
    }

    /// `45s`, `12m`, `3h`, `5d` (kubectl's AGE).
    static func age(_ nanos: Int64) -> String {
        let seconds = max(0, nanos / 1_000_000_000)
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }
}
