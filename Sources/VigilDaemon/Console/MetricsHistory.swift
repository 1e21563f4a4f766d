import Foundation
import Synchronization
import VigilCore

/// The numbers of `/metrics` for the console's status page, and rates over the last minute: the
/// registry's text is parsed when a page asks, and kept for a minute (a sample at most every 10 s)
/// so a rate needs no background task.
final class MetricsHistory: Sendable {
    /// One input's row.
    struct InputRow: Sendable {
        let name: String
        let records: String
        let rate: String
        let bytes: String
        let failures: String
        let dropped: String
    }

    /// What the status page shows.
    struct Snapshot: Sendable {
        let inputs: [InputRow]
        let store: [NameValue]
        let detectors: [NameValue]
    }

    private struct Sample {
        let time: Int64
        let values: [String: Double]
    }

    private let render: @Sendable () -> [UInt8]
    private let samples = Mutex<[Sample]>([])

    /// A history over the registry `render` prints.
    init(render: @escaping @Sendable () -> [UInt8]) {
        self.render = render
    }

    /// The current numbers, rates against the oldest sample of the last minute.
    func snapshot(now: Int64 = WallClock.now(), store: (bytes: Int64, sourceBytes: Int64, records: Int, segments: Int)? = nil) -> Snapshot {
        let values = Self.parse(String(decoding: render(), as: UTF8.self))
        let previous = samples.withLock { samples -> Sample? in
            samples.removeAll { now - $0.time > 70_000_000_000 }
            if samples.last.map({ now - $0.time >= 10_000_000_000 }) ?? true { samples.append(Sample(time: now, values: values)) }
            return samples.first { now - $0.time >= 5_000_000_000 }
        }
        var inputs: [InputRow] = []
        let names = Set(values.keys.compactMap { key -> String? in
            guard key.hasPrefix("vigil_input_records_total{") else { return nil }
            return Self.label("input", in: key)
        })
        for name in names.sorted() {
            func value(_ metric: String) -> Double { values["\(metric){input=\"\(name)\"}"] ?? 0 }
            let records = value("vigil_input_records_total")
            var rate = "–"
            if let previous, let before = previous.values["vigil_input_records_total{input=\"\(name)\"}"] {
                rate = String(format: "%.1f", (records - before) / (Double(now - previous.time) / 1e9))
            }
            inputs.append(
                InputRow(
                    name: name, records: Self.count(records), rate: rate, bytes: ByteSizeParser.format(Int64(value("vigil_input_bytes_total"))),
                    failures: Self.count(value("vigil_input_parse_failures_total")), dropped: Self.count(value("vigil_input_dropped_total"))))
        }
        var storeRows: [NameValue] = []
        if let store {
            storeRows.append(NameValue(name: "size on disk", value: ByteSizeParser.format(store.bytes)))
            storeRows.append(NameValue(name: "records", value: Self.count(Double(store.records))))
            storeRows.append(NameValue(name: "segments", value: "\(store.segments)"))
            if store.bytes > 0, store.sourceBytes > 0 {
                storeRows.append(NameValue(name: "compression ratio", value: String(format: "%.2f", Double(store.sourceBytes) / Double(store.bytes))))
            }
        }
        storeRows.append(NameValue(name: "pipeline queue", value: Self.count(values["vigil_pipeline_queue_records"] ?? 0) + " records"))
        storeRows.append(NameValue(name: "catch-up blocks written", value: Self.count(values["vigil_store_catch_up_blocks_total"] ?? 0)))
        let signals = values.filter { $0.key.hasPrefix("vigil_detect_signals_total") }.values.reduce(0, +)
        let detectors = [
            NameValue(name: "streams", value: Self.count(values["vigil_detect_streams"] ?? 0)),
            NameValue(name: "templates", value: Self.count(values["vigil_detect_templates"] ?? 0)),
            NameValue(name: "signals since start", value: Self.count(signals)),
            NameValue(name: "records buffered for lateness", value: Self.count(values["vigil_detect_buffered_records"] ?? 0)),
            NameValue(name: "late records", value: Self.count(values["vigil_detect_late_records_total"] ?? 0)),
            NameValue(name: "records left out (detection behind)", value: Self.count(values["vigil_detect_skipped_records_total"] ?? 0)),
        ]
        return Snapshot(inputs: inputs, store: storeRows, detectors: detectors)
    }

    /// `name{labels} value` lines of the text exposition format, by `name{labels}`.
    static func parse(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    static func label(_ name: String, in key: String) -> String? {
        guard let range = key.range(of: "\(name)=\"") else { return nil }
        let rest = key[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func count(_ value: Double) -> String {
        let number = Int(value)
        let digits = String(number)
        var result = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0, character != "-" { result.append(",") }
            result.append(character)
        }
        return String(result.reversed())
    }

}
