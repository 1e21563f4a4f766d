import ArgumentParser
import VigilCore
import VigilStore

/// `--since` and `--until`, in journalctl's forms (see `vigil query --help`).
struct TimeRangeOptions: ParsableArguments {
    @Option(name: [.customShort("S"), .long], help: ArgumentHelp("Records at or after this time.", valueName: "time"))
    var since: String?

    @Option(name: [.customShort("U"), .long], help: ArgumentHelp("Records at or before this time.", valueName: "time"))
    var until: String?

    /// Sets the filter's time range, relative times counted from `now`.
    func apply(to filter: inout RecordFilter, now: Int64) throws {
        if let since {
            guard let time = TimeExpression.parse(since, now: now) else { throw ValidationError("cannot understand --since '\(since)'") }
            filter.since = time
        }
        if let until {
            guard let time = TimeExpression.parse(until, now: now) else { throw ValidationError("cannot understand --until '\(until)'") }
            filter.until = time
        }
    }
}
