import ArgumentParser
import Foundation
import VigilCore
import VigilDetect
import VigilIngest
import VigilSettings

struct DetectSeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect-series",
        abstract: "Score a timestamp,value series for anomalies (for NAB evaluation).",
        discussion: """
            Reads a CSV of timestamp,value rows (a header row is skipped; CRLF line ends are fine) and \
            prints timestamp,value,anomaly_score with the score in [0, 1], in the format the Numenta \
            Anomaly Benchmark scores (see bench/nab/). The scorer is the one vigild's rate detector runs \
            on each stream's count per bucket, with the settings of [detectors.rate] (from --config DIR, \
            else the defaults of conf.d/30-detect.toml); each row is one bucket. The score is the mean \
            of two halves: the novelty of the value's level (levels bins over the range seen so far) \
            after the previous value's, and a z-score against an EWMA baseline (alpha) squashed to \
            [0, 1) by squash (bench/nab/ALGORITHM.md). It is zero during the warm-up (warm_up / bucket \
            rows: 150 by default); a score of open_threshold (0.6) or more is an alert, which opens a \
            signal in vigild, and the rows of the rest period after it (rest / bucket: 50) score zero. \
            Non-finite values score 0 and are not learnt.

            With --bucket, the values are counts per bucket of that width, as in vigild: a gap between \
            two rows means empty buckets, which are scored as zero counts (but not printed), and the \
            scale of a count is at least its Poisson spread, sqrt(expected). Then the rows whose score \
            reaches open_threshold are exactly the buckets in which vigild would open a rate signal \
            (when the count also passes min_count and no signal is open). vigild does not score a \
            stream's first bucket, which is partial: start the CSV at the second.

              vigil detect-series --csv requests.csv > scored.csv
              vigil detect-series --config /etc/vigil --bucket 10s --csv counts.csv
            """
    )

    @Option(name: .long, help: ArgumentHelp("The CSV file (timestamp,value); - for standard input.", valueName: "file"))
    var csv: String

    @Option(name: .long, help: ArgumentHelp("Bucket width of a count series, e.g. 5m; gaps become zero counts.", valueName: "duration"))
    var bucket: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A configuration directory (vigil.toml plus conf.d/*.toml) whose [detectors.rate] sets the scorer.",
            valueName: "dir"))
    var config: String?

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
        let settings = try config.map { try DaemonConfiguration.load(directory: $0) } ?? DaemonConfiguration()
        var parameters = settings.detection.rate.scorer
        // Values of a count series have the Poisson floor on their scale, as in vigild; others not.
        parameters.baseline.poissonFloor = width != nil
        var scorer = SeriesAnomalyScorer(parameters: parameters)
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
