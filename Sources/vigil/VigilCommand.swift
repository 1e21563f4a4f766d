import ArgumentParser
import Foundation

/// `vigil`: the companion CLI of vigild. Reads the segment store directly.
@main
struct VigilCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Query, import and check Vigil's log store.",
        discussion: """
            vigil reads the compressed segment store that vigild writes (default /var/lib/vigil, or \
            $VIGIL_DATA_DIR, or --data-dir). Queries run beside a live daemon; import needs the store \
            to itself.

            EXIT STATUS
              0  success
              1  failure: verify found corruption, or an error (the reason is printed on stderr)
              2  usage error

            EXAMPLES
              vigil import --service nginx /var/log/nginx/access.log
              vigil query --since -1h --level err
              vigil query -u sshd --grep 'Failed password' -o json
              vigil query --follow
              vigil verify && vigil stats
            """,
        version: "0.1.0",
        subcommands: [
            QueryCommand.self, ImportCommand.self, VerifyCommand.self, StatsCommand.self, ReplayCommand.self,
            TemplatesCommand.self, DetectSeriesCommand.self, IncidentsCommand.self, WebhooksCommand.self, FleetCommand.self,
            ConfigCommand.self,
        ]
    )

    /// `vigil query …` parsed by `QueryCommand` alone, or nil for any other command line and for one
    /// the query does not parse (which `parseAsRoot` then parses again, to report it or print help
    /// with the whole command's names). Parsing from the root builds the arguments of every
    /// subcommand by reflection, which costs a short query a noticeable share of its run time.
    static func directQuery(_ arguments: [String]) -> ParsableCommand? {
        guard arguments.first == QueryCommand.configuration.commandName else { return nil }
        return try? QueryCommand.parseAsRoot(Array(arguments.dropFirst()))
    }

    /// Runs the command line, mapping errors to the documented exit statuses: usage errors exit 2
    /// (swift-argument-parser's default is 64), runtime errors print one line and exit 1.
    static func main() async {
        ReusedHeap.configure()
        do {
            let arguments = JournalctlArguments.rewritten(Array(CommandLine.arguments.dropFirst()))
            var command: ParsableCommand
            if let query = directQuery(arguments) {
                command = query
            } else {
                command = try parseAsRoot(arguments)
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                StandardError.line("vigil: \(message(for: error)) (see 'vigil help')")
                Foundation.exit(2)
            }
            StandardError.line("vigil: \(error)")
            Foundation.exit(1)
        }
    }
}
