import ArgumentParser
import Foundation
import VigilCore
import VigilSettings

/// `--data-dir` and `--config`, shared by every command.
struct StoreLocationOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The data directory holding the segments.",
            discussion: "Default: $VIGIL_DATA_DIR, else data_dir from --config, else /var/lib/vigil.",
            valueName: "dir"))
    var dataDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A configuration directory (vigil.toml plus conf.d/*.toml): data_dir, [store], rules and detectors.",
            valueName: "dir"))
    var config: String?

    /// The configuration named by `--config`, or the defaults.
    func loadConfiguration() throws -> CoreConfiguration {
        // Without --config, the core defaults alone (the whole defaults build every rule and detector).
        guard config != nil else { return CoreConfiguration() }
        return try loadDaemonConfiguration().core
    }

    /// The whole configuration (rules and detectors included) named by `--config`, or the defaults.
    func loadDaemonConfiguration() throws -> DaemonConfiguration {
        guard let config else { return DaemonConfiguration() }
        return try DaemonConfiguration.load(directory: config)
    }

    /// The data directory, by precedence: `--data-dir`, `$VIGIL_DATA_DIR`, the configuration's `data_dir`.
    func resolveDataDirectory(_ configuration: CoreConfiguration) -> String {
        if let dataDir { return dataDir }
        if let fromEnvironment = ProcessInfo.processInfo.environment["VIGIL_DATA_DIR"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return configuration.dataDir
    }

    func resolveDataDirectory() throws -> String {
        try resolveDataDirectory(loadConfiguration())
    }
}
