import Foundation
import VigilSettings
import VigilTestSupport

/// A configuration directory made for one test: `vigil.toml` from `text` (with `DIR` replaced by
/// the directory's path) and any other `files`, loaded as vigild would.
enum ConfigurationFixture {
    static func load(_ text: String, files: [String: String] = [:], in scratch: Scratch = Scratch()) throws -> DaemonConfiguration {
        defer { scratch.remove() }
        for (name, contents) in files { scratch.file(name, contents) }
        scratch.file("vigil.toml", text.replacingOccurrences(of: "DIR", with: scratch.path))
        return try DaemonConfiguration.load(directory: scratch.path)
    }

    /// The error loading `text` gives, with the directory's path left out; "no error" when it loads.
    static func failure(_ text: String, files: [String: String] = [:]) -> String {
        let scratch = Scratch()
        do {
            _ = try load(text, files: files, in: scratch)
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: scratch.path + "/", with: "")
        }
    }
}
