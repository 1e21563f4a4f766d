import Foundation
import VigilCore
import VigilDetect

/// Renders signals for `vigil replay`: a table line, or one JSON object per line.
struct SignalPrinter {
    let json: Bool

    func append(_ signal: Signal, to out: inout [UInt8]) {
        out.append(contentsOf: (json ? signal.jsonLine : tableLine(signal)).utf8)
        out.append(0x0A)
    }

    private func tableLine(_ signal: Signal) -> String {
        let status = signal.status == .firing ? "FIRING  " : "RESOLVED"
        let range = "\(TimeFormatter.rfc3339(signal.start, fractionDigits: 0)) .. \(TimeFormatter.rfc3339(signal.end, fractionDigits: 0))"
        let score = String(format: "%.2f", signal.score)
        return "\(status) \(range) \(signal.severity.name.padding(toLength: 7, withPad: " ", startingAt: 0)) \(signal.name) count=\(signal.count) score=\(score) \(signal.title)"
    }
}
