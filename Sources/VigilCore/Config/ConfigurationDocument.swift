/// A configuration as loaded from its files: the merged TOML tree and the files it came from.
public struct ConfigurationDocument: Sendable, Equatable {
    /// The merged root table; each key and value keeps the location it was last set at.
    public var root: TOMLTable
    /// The files merged into `root`, in order.
    public var files: [String]

    /// A document with the given root and files.
    public init(root: TOMLTable, files: [String] = []) {
        self.root = root
        self.files = files
    }

    /// Merges a later file's table into the document (see `TOMLTable.merge(_:)`).
    public mutating func merge(_ table: TOMLTable, from file: String) {
        if files.isEmpty, root.isEmpty {
            root = table
        } else {
            root.merge(table)
        }
        files.append(file)
    }
}
