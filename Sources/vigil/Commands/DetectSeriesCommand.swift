import ArgumentParser
import Foundation
import VigilCore
import VigilDetect
import VigilIngest

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
        // Read as a stream, a chunk at a time: memory stays flat however long the series.
        var reader: LineFileReader
        do {
            reader = try LineFileReader(path: csv)
        } catch {
            throw ValidationError("cannot read \(error)")
        }
        var scorer = SeriesAnomalyScorer()
        var out = OutputBuffer()
        out.bytes.append(contentsOf: "timestamp,value,anomaly_score\n".utf8)
        var previous: Int64?
        var index = 0
        var failure: ValidationError?
        let source = csv
        func take(_ bytes: UnsafeBufferPointer<UInt8>) {
            defer { index += 1 }
            guard failure == nil else { return }
            let text = String(decoding: bytes, as: UTF8.self)
            let line = text.hasSuffix("\r") ? text.dropLast() : Substring(text)
            let columns = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            guard columns.count == 2, let value = Double(columns[1].trimmingCharacters(in: .whitespaces)) else {
                if index == 0 { return }  // the header
                failure = ValidationError("\(source):\(index + 1): expected timestamp,value, got '\(line)'")
                return
            }
            let stamp = columns[0].trimmingCharacters(in: .whitespaces)
            guard let time = TimestampParser.parseAny(stamp) else {
                failure = ValidationError("\(source):\(index + 1): cannot understand the timestamp '\(stamp)'")
                return
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
        do {
            while try reader.nextLines(take) {
                if let failure { throw failure }
            }
        } catch let error as LineFileReader.ReadError {
            throw ValidationError("cannot read \(error)")
        }
        if let failure { throw failure }
        out.flush()
    }
}
