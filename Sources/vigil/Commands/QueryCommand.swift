import ArgumentParser
import Foundation
import VigilCore
import VigilFormats
import VigilStore
import VigilRegex

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        // `VigilCommand.directQuery` parses `vigil query` with this command as the root; as a
        // "super-command" child it skips swift-argument-parser's two trial parses for
        // --generate-completion-script (which `vigil` itself still answers).
        _superCommandName: "vigil",
        abstract: "Print stored records, filtered, in event-time order.",
        discussion: """
            Filters combine with AND; repeated --service or --host options combine with OR. Blocks whose \
            time range or severities rule them out are not read; severity, service and host filters are \
            decided before messages are decompressed.

            TIMES (--since, --until)
              2026-11-23T09:00:00Z       RFC 3339, with a zone or offset
              2026-11-23 [09:00[:00]]    local time
              -1h, -15m, -2d, +30s       relative to now (also '1h ago')
              now, today, yesterday, tomorrow
              @1763888400                epoch seconds

            LEVELS (--level): emerg, alert, crit, err, warning, notice, info, debug, or 0-7; \
            records at that level or more severe match.

            --grep takes a PCRE2 regular expression, matched against the message; it is \
            case-insensitive when it has no upper-case letter (as journalctl), unless --case-sensitive.

            Corrupt blocks are skipped with a warning on stderr; every other record is still printed.

            On a terminal the output goes through a pager as journalctl's does: $SYSTEMD_PAGER, \
            else $PAGER, else less (LESS=FRSXMK unless set); --no-pager, a pipe or PAGER=cat turn \
            it off, -e starts at the end.
            """
    )

    @OptionGroup var location: StoreLocationOptions

    @OptionGroup var range: TimeRangeOptions

    @Option(name: [.customShort("u"), .long], help: ArgumentHelp("Only this service (repeatable; globs like 'nginx*' work).", valueName: "name"))
    var service: [String] = []

    @Option(name: [.customShort("H"), .long], help: ArgumentHelp("Only this host (repeatable; globs work).", valueName: "name"))
    var host: [String] = []

    @Option(name: [.customShort("p"), .long], help: ArgumentHelp("Only this severity or worse.", valueName: "level"))
    var level: String?

    @Option(name: [.customShort("g"), .long], help: ArgumentHelp("Only messages matching this regular expression.", valueName: "regex"))
    var grep: String?

    @Flag(name: .long, help: "Match --grep case-sensitively even without upper-case letters.")
    var caseSensitive = false

    @Option(name: [.customShort("F"), .long], help: ArgumentHelp("Only records whose field KEY equals VALUE (repeatable).", valueName: "key=value"))
    var field: [String] = []

    @Option(
        name: [.customShort("n"), .customLong("lines"), .customLong("limit")],
        help: ArgumentHelp("The newest N records, printed oldest first (newest first with -r), as journalctl -n.", valueName: "n"))
    var limit: Int?

    @Flag(name: [.customShort("r"), .long], help: "Newest first.")
    var reverse = false

    @Flag(name: [.customShort("c"), .long], help: "Print only the number of matching records.")
    var count = false

    @Option(name: [.customShort("t"), .customLong("identifier")], help: ArgumentHelp("Only this syslog identifier (journalctl's -t: the service; repeatable).", valueName: "name"))
    var identifier: [String] = []

    @Flag(name: .customLong("no-pager"), help: "Do not pipe the output into a pager.")
    var noPager = false

    @Flag(name: [.customShort("e"), .customLong("pager-end")], help: "Start the pager at the end (implies -n 1000 unless -n is given).")
    var pagerEnd = false

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output: short, short-iso, short-precise, json, json-pretty, verbose, export or cat.", valueName: "mode"))
    var output: String = "short"

    @Flag(name: .long, help: "Print times in UTC.")
    var utc = false

    @Flag(
        name: [.customShort("a"), .long],
        help: "Print control characters in stored text as they are (by default they are shown escaped: \\x1b, \\n).")
    var all = false

    @Flag(name: [.customShort("f"), .long], help: "Keep printing records as they are appended (after the last 10, or those since --since).")
    var follow = false

    func validate() throws {
        guard RecordFormatter.Mode(rawValue: output) != nil else {
            throw ValidationError("unknown --output '\(output)'; expected one of \(RecordFormatter.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let level, Severity(parsing: level) == nil { throw ValidationError("unknown --level '\(level)'; expected emerg, alert, crit, err, warning, notice, info, debug or 0-7") }
        if let limit, limit < 0 { throw ValidationError("--lines must not be negative") }
        for pair in field where !pair.contains("=") || pair.hasPrefix("=") { throw ValidationError("--field '\(pair)' is not KEY=VALUE") }
        if count && follow { throw ValidationError("--count and --follow cannot be combined") }
        if follow && reverse { throw ValidationError("--follow and --reverse cannot be combined") }
    }

    func makeFilter(now: Int64) throws -> RecordFilter {
        var filter = RecordFilter()
        try range.apply(to: &filter, now: now)
        filter.minimumSeverity = level.flatMap { Severity(parsing: $0) }
        filter.services = service + identifier
        filter.hosts = host
        filter.fieldEquals = field.map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]))
        }
        if let grep {
            do {
                filter.messagePattern = try PCRE2Regex(grep, caseInsensitive: caseSensitive ? false : nil)
            } catch {
                throw ValidationError(error.description)
            }
        }
        return filter
    }

    func run() async throws {
        let directory = try location.resolveDataDirectory()
        let filter = try makeFilter(now: WallClock.now())
        let reader = try StoreReader(directory: directory) { StandardError.line("vigil: warning: \($0)") }
        if count {
            print(reader.count(filter))
            return
        }
        var formatter = RecordFormatter(mode: RecordFormatter.Mode(rawValue: output)!, utc: utc, raw: all)
        // Fields the output does not print are not rebuilt (nor, where a block has none of those
        // printed, decompressed).
        let fields = formatter.mode.fieldsPrinted.map(FieldSelection.only) ?? .all
        let pager = follow || noPager ? nil : Pager.start(jumpToEnd: pagerEnd)
        defer { pager?.finish() }
        let limit = pagerEnd && self.limit == nil ? 1000 : self.limit
        var out = OutputBuffer()
        let emit = { (record: LogRecord) -> Bool in
            formatter.append(record, to: &out.bytes)
            out.flushIfFull()
            return true
        }
        if follow {
            if range.since == nil && self.limit == nil {
                printNewest(10, reader, filter, fields, emit)
            } else if let limit {
                printNewest(limit, reader, filter, fields, emit)
            } else {
                reader.read(filter, fields: fields, emit)
            }
            out.flush()
            reader.follow(filter, fields: fields) { record in
                _ = emit(record)
                out.flush()
                return true
            }
            return
        }
        if let limit, !reverse {
            printNewest(limit, reader, filter, fields, emit)
        } else {
            reader.read(filter, reverse: reverse, limit: limit, fields: fields, emit)
        }
        out.flush()
    }

    /// The newest `count` matching records, oldest first (journalctl's `-n`).
    private func printNewest(
        _ count: Int, _ reader: StoreReader, _ filter: RecordFilter, _ fields: FieldSelection, _ emit: (LogRecord) -> Bool
    ) {
        var newest: [LogRecord] = []
        reader.read(filter, reverse: true, limit: count, fields: fields) { newest.append($0); return true }
        for record in newest.reversed() { _ = emit(record) }
    }
}
