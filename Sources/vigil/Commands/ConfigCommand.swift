import ArgumentParser
import Foundation
import VigilCore
import VigilSettings

/// `vigil config …`: the configuration as vigild reads it.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check the configuration vigild would read.", subcommands: [ConfigCheckCommand.self])
}

/// `vigil config check`: `nginx -t` for vigild.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load and validate a configuration directory exactly as vigild would.",
        discussion: """
            Reads DIR/vigil.toml and DIR/conf.d/*.toml (merged in file-name order: later files override \
            earlier keys, like systemd drop-ins), checks every key and value, and exits 0 when vigild \
            would start with it, 1 with FILE:LINE: KEY: REASON when it would not. A key vigil.toml \
            sets that a drop-in overrides is reported as a warning: what you set there has no effect.

            --effective prints the merged configuration, each value with the file and line it comes \
            from (keys nothing sets keep their defaults and are not shown).

            EXAMPLES
              vigil config check
              vigil config check --config ./my-vigil --effective
            """)

    @Option(name: .long, help: ArgumentHelp("The configuration directory.", valueName: "dir"))
    var config = CoreConfiguration.defaultDirectory

    @Flag(name: .long, help: "Print the merged configuration with the origin of each value.")
    var effective = false

    func run() throws {
        let files = try ConfigurationLoader.files(inDirectory: config)
        let document = try ConfigurationLoader.load(directory: config)
        _ = try DaemonConfiguration(document: document)
        let main = config.hasSuffix("/") ? config + ConfigurationLoader.mainFileName : config + "/" + ConfigurationLoader.mainFileName
        if files.first == main {
            let later = try files.dropFirst().map { (file) throws(ConfigError) in try ConfigurationLoader.parse(file: file) }
            for override in ConfigurationReport.overrides(main: try ConfigurationLoader.parse(file: main), later: later) {
                StandardError.line("vigil: warning: \(override)")
            }
        }
        if effective { print(ConfigurationReport.render(document.root), terminator: "") }
        StandardError.line("vigil: \(config) is valid (\(files.count) file\(files.count == 1 ? "" : "s"): \(files.joined(separator: ", ")))")
    }
}
