import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads Vigil's configuration files and merges them into one `ConfigurationDocument`.
///
/// A configuration directory holds an optional `vigil.toml` and an optional `conf.d/` of drop-in
/// files, read after it in file-name order (byte order, as systemd sorts drop-ins), so that
/// `conf.d/90-local.toml` overrides `conf.d/10-store.toml`, which overrides `vigil.toml`. Only
/// regular files (or links to them) whose names end in `.toml` and do not start with `.` are read.
///
/// Merging: tables merge key by key, recursively; a later scalar or array replaces an earlier one;
/// arrays of tables written `[[name]]` are concatenated (see `TOMLTable.merge(_:)`).
public enum ConfigurationLoader {
    /// The main file's name inside the configuration directory.
    public static let mainFileName = "vigil.toml"
    /// The drop-in directory's name inside the configuration directory.
    public static let dropInDirectoryName = "conf.d"
    /// Files larger than this are refused (a configuration file is a few KiB).
    public static let maximumFileSize = 16 << 20

    /// The files `load(directory:)` reads, in merge order. Throws when `directory` is missing or not
    /// a directory, or `conf.d` cannot be listed.
    public static func files(inDirectory directory: String) throws(ConfigError) -> [String] {
        guard let isDirectory = kind(of: directory) else {
            throw .io(path: directory, reason: "configuration directory does not exist")
        }
        guard isDirectory else { throw .io(path: directory, reason: "not a directory") }
        var files: [String] = []
        let main = join(directory, mainFileName)
        if kind(of: main) != nil { files.append(main) }
        let dropIns = join(directory, dropInDirectoryName)
        switch kind(of: dropIns) {
        case nil:
            break
        case false?:
            throw .io(path: dropIns, reason: "not a directory")
        case true?:
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: dropIns)
            } catch {
                throw .io(path: dropIns, reason: "cannot list the directory: \(error.localizedDescription)")
            }
            let selected = names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for name in selected {
                let path = join(dropIns, name)
                if kind(of: path) == false { files.append(path) }
            }
        }
        return files
    }

    /// Loads `DIR/vigil.toml` (if present) and then `DIR/conf.d/*.toml` in file-name order, merged.
    /// A directory with neither gives an empty document (all defaults). Throws when `directory`
    /// does not exist, a file cannot be read, or a file is not valid TOML.
    public static func load(directory: String) throws(ConfigError) -> ConfigurationDocument {
        let files = try files(inDirectory: directory)
        let start = ConfigLocation(file: join(directory, mainFileName), line: 1)
        var document = ConfigurationDocument(root: TOMLTable(location: start))
        for file in files { document.merge(try parse(file: file), from: file) }
        return document
    }

    /// Loads the given files, in order, merged. Every file must exist.
    public static func load(files: [String]) throws(ConfigError) -> ConfigurationDocument {
        let start = ConfigLocation(file: files.first ?? "<none>", line: 1)
        var document = ConfigurationDocument(root: TOMLTable(location: start))
        for file in files { document.merge(try parse(file: file), from: file) }
        return document
    }

    /// Reads and parses one file.
    public static func parse(file: String) throws(ConfigError) -> TOMLTable {
        try TOMLParser.parse(bytes: try readContents(of: file), file: file)
    }

    // MARK: - Files

    /// `true` for a directory, `false` for anything else that exists (following links), `nil` when
    /// nothing is there.
    private static func kind(of path: String) -> Bool? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func readContents(of path: String) throws(ConfigError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return contents }
            contents.append(contentsOf: buffer[0..<count])
            if contents.count > maximumFileSize {
                throw .io(path: path, reason: "file is larger than \(maximumFileSize >> 20) MiB")
            }
        }
    }
}
