import ArgumentParser
import Foundation
import VigilCore
import VigilFormats
import VigilIngest
import VigilStore

/// Where `replay` and `templates` read records from: the store (`--data-dir`, in event-time order)
/// or log files (`FILE...`, decoded like `vigil import`), limited to `--since`/`--until` and
/// `--service`.
struct RecordSourceOptions: ParsableArguments {
    @OptionGroup var location: StoreLocationOptions

    @OptionGroup var range: TimeRangeOptions

    @Option(name: [.customShort("u"), .long], help: ArgumentHelp("Only this service (repeatable; globs work).", valueName: "name"))
    var service: [String] = []

    @Option(name: .long, help: "Line format of FILEs: auto, syslog, rfc5424, json or raw.")
    var format: String = "auto"

    @Option(name: .long, help: ArgumentHelp("Time zone of RFC 3164 timestamps in FILEs (default: UTC).", valueName: "zone"))
    var timezone: String = "UTC"

    @Argument(help: ArgumentHelp("Log files to read instead of the store; - for standard input.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        guard LineFormat(rawValue: format) != nil else {
            throw ValidationError("unknown --format '\(format)'; expected one of \(LineFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard TimeZone(identifier: timezone) != nil else { throw ValidationError("unknown --timezone '\(timezone)'") }
        if !files.isEmpty, location.dataDir != nil { throw ValidationError("give either --data-dir or FILEs, not both") }
    }

    /// The time and service filter.
    func makeFilter(now: Int64) throws -> RecordFilter {
        var filter = RecordFilter()
        try range.apply(to: &filter, now: now)
        filter.services = service
        return filter
    }

    /// Calls `body` with batches of the selected records: from the store in event-time order, or
    /// from the files in file order.
    func forEachBatch(_ body: ([LogRecord]) throws -> Void) throws {
        let filter = try makeFilter(now: WallClock.now())
        var batch: [LogRecord] = []
        batch.reserveCapacity(4096)
        if files.isEmpty {
            let reader = try StoreReader(directory: try location.resolveDataDirectory()) { StandardError.line("vigil: warning: \($0)") }
            try reader.read(filter) { record in
                batch.append(record)
                if batch.count == 4096 {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
                return true
            }
        } else {
            var decoder = LineDecoder(format: LineFormat(rawValue: format)!, timeZone: TimeZone(identifier: timezone)!)
            let receivedAt = WallClock.now()
            for path in files {
                var reader = try LineFileReader(path: path)
                var more = true
                while more {
                    more = try reader.nextLines { line in
                        let record = decoder.decode(line: line, receivedAt: receivedAt)
                        if filter.matches(record) { batch.append(record) }
                    }
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try body(batch) }
    }
}
