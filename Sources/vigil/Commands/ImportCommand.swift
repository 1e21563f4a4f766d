import ArgumentParser
import Foundation
import VigilCore
import VigilFormats
import VigilIngest
import VigilStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import log files into the store.",
        discussion: """
            Reads each FILE (or standard input for -) line by line and appends the records to the store. \
            Formats: syslog (RFC 3164 lines with or without <PRI>, also RFC 5424), rfc5424, json (one \
            object per line), raw (each line is a message as it is), or auto (decided per line: JSON \
            objects, RFC 5424, RFC 3164, else raw).

            A line that its format cannot parse is kept as a raw record stamped with the import time; \
            the summary on stderr says how many. Blank lines are skipped.

            The store must not be open in a running vigild: import takes the data directory's writer \
            lock and refuses, naming the holder, when it is taken.
            """
    )

    @OptionGroup var location: StoreLocationOptions

    @Option(name: .long, help: "Line format: auto, syslog, rfc5424, json or raw.")
    var format: String = "auto"

    @Option(name: .long, help: ArgumentHelp("Set the service of every imported record.", valueName: "name"))
    var service: String?

    @Option(name: .long, help: ArgumentHelp("Set the host of every imported record.", valueName: "name"))
    var host: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Time zone of RFC 3164 timestamps, which carry none (default: UTC).", valueName: "zone"))
    var timezone: String = "UTC"

    @Argument(help: ArgumentHelp("Files to import; - for standard input.", valueName: "file"))
    var files: [String]

    func validate() throws {
        guard LineFormat(rawValue: format) != nil else {
            throw ValidationError("unknown --format '\(format)'; expected one of \(LineFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard TimeZone(identifier: timezone) != nil else { throw ValidationError("unknown --timezone '\(timezone)'") }
        guard !files.isEmpty else { throw ValidationError("name at least one file, or - for standard input") }
    }

    func run() async throws {
        let configuration = try location.loadConfiguration()
        let directory = location.resolveDataDirectory(configuration)
        // A bulk import compresses at the bulk level: it has the time a live writer has not.
        var store = configuration.store
        store.zstdLevel = store.zstdBulkLevel
        let writer = try StoreWriter(directory: directory, configuration: store)
        for repaired in writer.recovery.repaired {
            StandardError.line("vigil: recovered \(repaired.path): kept \(repaired.recordsKept) records, cut \(repaired.bytesCut) bytes")
        }
        var importer = FileImporter(
            decoder: LineDecoder(format: LineFormat(rawValue: format)!, service: service, host: host, timeZone: TimeZone(identifier: timezone)!))
        let started = Date()
        let summary: FileImporter.Summary
        do {
            summary = try await importer.importFiles(files, into: writer)
        } catch {
            try? await writer.close()
            throw error
        }
        try await writer.close()
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? String(format: ", %.1f MB/s", Double(summary.bytes) / 1e6 / seconds) : ""
        StandardError.line(
            "imported \(summary.records) records (\(summary.rawFallbacks) kept raw) from \(summary.files) file\(summary.files == 1 ? "" : "s"), \(summary.bytes) bytes in \(String(format: "%.2f", seconds)) s\(rate)")
    }
}
