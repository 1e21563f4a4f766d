import Foundation

extension ConfigTable {
    /// A secret given as `key` or `key_file` (the file's first line, trimmed), never both.
    public func secret(_ key: String) throws(ConfigError) -> String? {
        switch (try string(key), try string(key + "_file")) {
        case (let value?, nil): return value
        case (nil, let file?):
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                let line = text.split(whereSeparator: \.isNewline).first, !line.isEmpty
            else { throw invalid(key + "_file", "cannot read \(file), or it is empty") }
            return String(line).trimmingCharacters(in: .whitespaces)
        case (nil, nil): return nil
        case (.some, .some): throw invalid(key + "_file", "give \(key) or \(key)_file, not both")
        }
    }
}
