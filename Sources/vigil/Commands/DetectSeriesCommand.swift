import ArgumentParser
import Foundation
import VigilCore
import VigilDetect

struct DetectSeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect-series",
        abstract: "Score a timestamp,value series for anomalies (for NAB evaluation).",
        discussion: """
            Reads a CSV of timestamp,value rows (a header row is skipped; CRLF line ends are fine) and \
            prints timestamp,value,anomaly_score with the score in [0, 1], in the format the Numenta \
            Anomaly Benchmark scores (see bench/nab/). The score, with one fixed configuration \
            (bench/nab/ALGORITHM.md), is the mean of two halves: the novelty of the value's level \
            (4 bins over the range seen so far) after the previous value's, and a z-score against the \
            rate detector's EWMA baseline squashed to [0, 1). It is zero during a warm-up of 150 values; \
            a score of 0.75 or more is an alert, and the 99 values after an alert score zero. \
            Non-finite values score 0 and are not learnt.

            With --bucket, the values are counts per bucket of that width: a gap between two rows means \
            empty buckets, which are scored as zero counts (but not printed).
            """
    )

    @Option(name: .long, help: ArgumentHelp("The CSV file (timestamp,value); - for standard input.", valueName: "file"))
    var csv: String

    @Option(name: .long, help: ArgumentHelp("Bucket width of a count series, e.g. 5m; gaps become zero counts.", valueName: "duration"))
    var bucket: String?

    func validate() throws {
        if let bucket, (DurationParser.parse(bucket) ?? 0) <= 0 {
            throw ValidationError("cannot understand --bucket '\(bucket)'; expected a duration such as 5m")
        }
    }

    func run() async throws {
        let width = bucket.flatMap { DurationParser.parse($0) }
        let text: String
        do {
            text = csv == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: csv, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(csv): \(error.localizedDescription)")
        }
        var scorer = SeriesAnomalyScorer()
        var out = OutputBuffer()
        out.bytes.append(contentsOf: "timestamp,value,anomaly_score\n".utf8)
        var previous: Int64?
        for (index, rawLine) in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let columns = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            guard columns.count == 2, let value = Double(columns[1].trimmingCharacters(in: .whitespaces)) else {
                if index == 0 { continue }  // the header
                throw ValidationError("\(csv):\(index + 1): expected timestamp,value, got '\(line)'")
            }
            let stamp = columns[0].trimmingCharacters(in: .whitespaces)
            guard let time = TimestampParser.parseAny(stamp) else {
                throw ValidationError("\(csv):\(index + 1): cannot understand the timestamp '\(stamp)'")
            }
            if let width, let last = previous, time - last > width {
                var gap = last + width
                while gap < time {
                    _ = scorer.score(value: 0, at: gap)
                    gap += width
                }
            }
            previous = time
            let score = scorer.score(value: value, at: time)
            out.bytes.append(contentsOf: "\(stamp),\(columns[1]),\(score)\n".utf8)
            out.flushIfFull()
        }
        out.flush()
    }
}
