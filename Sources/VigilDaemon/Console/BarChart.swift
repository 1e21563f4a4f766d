import Foundation
import VigilCore

/// Counts per time bucket drawn as SVG bars on the server (no script, no library): all records in
/// one colour, the error ones over them in another, and optionally a shaded window.
struct BarChart: Sendable {
    /// One bucket: its start and its counts.
    struct Bucket: Sendable, Hashable {
        var start: Int64
        var all: Int
        var errors: Int
    }

    var buckets: [Bucket]
    /// The bucket width, ns.
    var width: Int64
    /// A span to shade (the incident's first to last seen), ns.
    var window: ClosedRange<Int64>?

    static let viewWidth = 1000.0
    static let viewHeight = 180.0
    static let plotTop = 10.0
    static let plotBottom = 150.0
    static let plotLeft = 50.0

    /// The SVG element. Numbers only: nothing in it comes from a log line.
    var svg: String {
        let peak = max(1, buckets.map(\.all).max() ?? 0)
        let plotWidth = Self.viewWidth - Self.plotLeft - 10
        let barWidth = buckets.isEmpty ? 0 : plotWidth / Double(buckets.count)
        let scale = (Self.plotBottom - Self.plotTop) / Double(peak)
        var parts: [String] = [
            #"<svg class="chart" viewBox="0 0 \#(Int(Self.viewWidth)) \#(Int(Self.viewHeight))" role="img" aria-label="records per bucket, peak \#(peak)">"#
        ]
        if let window, let first = buckets.first {
            let start = Double(window.lowerBound - first.start) / Double(width) * barWidth
            let end = Double(window.upperBound - first.start + width) / Double(width) * barWidth
            let x = Self.plotLeft + max(0, start)
            let w = max(2, min(plotWidth, end) - max(0, start))
            parts.append(#"<rect class="window" x="\#(format(x))" y="\#(Self.plotTop)" width="\#(format(w))" height="\#(Self.plotBottom - Self.plotTop)"/>"#)
        }
        parts.append(#"<line x1="\#(Self.plotLeft)" y1="\#(Self.plotBottom)" x2="\#(Self.viewWidth - 10)" y2="\#(Self.plotBottom)"/>"#)
        parts.append(#"<text x="\#(Self.plotLeft - 6)" y="\#(Self.plotTop + 8)" text-anchor="end">\#(peak)</text>"#)
        parts.append(#"<text x="\#(Self.plotLeft - 6)" y="\#(Self.plotBottom)" text-anchor="end">0</text>"#)
        for (index, bucket) in buckets.enumerated() {
            let x = Self.plotLeft + Double(index) * barWidth
            let w = max(1, barWidth - 1)
            if bucket.all > 0 {
                let h = Double(bucket.all) * scale
                parts.append(#"<rect class="all" x="\#(format(x))" y="\#(format(Self.plotBottom - h))" width="\#(format(w))" height="\#(format(h))"><title>\#(label(bucket))</title></rect>"#)
            }
            if bucket.errors > 0 {
                let h = Double(bucket.errors) * scale
                parts.append(#"<rect class="errors" x="\#(format(x))" y="\#(format(Self.plotBottom - h))" width="\#(format(w))" height="\#(format(h))"/>"#)
            }
        }
        // Time labels at the start, middle and end.
        for index in Set([0, buckets.count / 2, max(0, buckets.count - 1)]).sorted() where index < buckets.count {
            let anchor = index == 0 ? "start" : index == buckets.count - 1 ? "end" : "middle"
            let x = Self.plotLeft + Double(index) * barWidth + (anchor == "end" ? barWidth : 0)
            parts.append(#"<text x="\#(format(x))" y="\#(Self.plotBottom + 16)" text-anchor="\#(anchor)">\#(clock(buckets[index].start))</text>"#)
        }
        parts.append("</svg>")
        return parts.joined()
    }

    private func label(_ bucket: Bucket) -> String {
        "\(clock(bucket.start)): \(bucket.all) records, \(bucket.errors) errors"
    }

    private func clock(_ time: Int64) -> String {
        let text = TimeFormatter.rfc3339(time, fractionDigits: 0)
        // "2026-12-07T04:15:00Z" → "12-07 04:15"
        let parts = text.split(separator: "T")
        guard parts.count == 2 else { return text }
        return "\(parts[0].dropFirst(5)) \(parts[1].prefix(5))"
    }

    private func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
