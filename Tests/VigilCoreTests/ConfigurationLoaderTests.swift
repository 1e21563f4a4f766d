import Testing

@testable import VigilCore

@Suite("ConfigurationLoader")
struct ConfigurationLoaderTests {
    private func table(_ value: TOMLValue?) -> TOMLTable? {
        guard case .table(let table)? = value?.kind else { return nil }
        return table
    }

    @Test func dropInsOverrideTheMainFileInFileNameOrder() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        let main = try dir.write("vigil.toml", "a = 1\nb = 1\nc = 1\nd = 1\n")
        let second = try dir.write("conf.d/20-b.toml", "b = 20\nc = 20\n")
        let first = try dir.write("conf.d/10-a.toml", "a = 10\nc = 10\n")

        #expect(try ConfigurationLoader.files(inDirectory: dir.path) == [main, first, second])
        let document = try ConfigurationLoader.load(directory: dir.path)
        #expect(document.files == [main, first, second])
        #expect(document.root["a"]?.kind == .integer(10))
        #expect(document.root["b"]?.kind == .integer(20))
        #expect(document.root["c"]?.kind == .integer(20))
        #expect(document.root["d"]?.kind == .integer(1))
        #expect(document.root.keys == ["a", "b", "c", "d"])
        // Each value remembers the file that set it last.
        #expect(document.root["a"]?.location == ConfigLocation(file: first, line: 1))
        #expect(document.root["c"]?.location == ConfigLocation(file: second, line: 2))
        #expect(document.root.entry("c")?.keyLocation == ConfigLocation(file: second, line: 2))
        #expect(document.root["d"]?.location == ConfigLocation(file: main, line: 4))
    }

    @Test func fileNamesSortByteWise() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        for name in ["b.toml", "10-x.toml", "9-y.toml", "B.toml", "a.toml"] { try dir.write("conf.d/\(name)", "") }
        let names = try ConfigurationLoader.files(inDirectory: dir.path).map { ($0 as String).split(separator: "/").last! }
        #expect(names == ["10-x.toml", "9-y.toml", "B.toml", "a.toml", "b.toml"])
    }

    @Test func tablesMergeKeyByKeyAndArraysAreReplaced() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        try dir.write(
            "vigil.toml",
            """
            tags = ["a", "b"]
            [store]
            codec = "zstd"
            zstd_level = 3
            [store.limits]
            x = 1
            """)
        try dir.write(
            "conf.d/50-store.toml",
            """
            tags = ["c"]
            [store]
            zstd_level = 9
            limits.y = 2
            """)
        let document = try ConfigurationLoader.load(directory: dir.path)
        guard case .array(let tags)? = document.root["tags"]?.kind else {
            Issue.record("tags is not an array")
            return
        }
        #expect(tags.map(\.kind) == [.string("c")])
        let store = table(document.root["store"])
        #expect(store?["codec"]?.kind == .string("zstd"))
        #expect(store?["zstd_level"]?.kind == .integer(9))
        let limits = table(store?["limits"])
        #expect(limits?["x"]?.kind == .integer(1))
        #expect(limits?["y"]?.kind == .integer(2))
        #expect(store?.location == ConfigLocation(file: dir.path + "/vigil.toml", line: 2))
    }

    @Test func arraysOfTablesAreConcatenated() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        try dir.write("vigil.toml", "[[rules]]\nname = \"one\"\n\n[[rules]]\nname = \"two\"\n")
        try dir.write("conf.d/20-more.toml", "[[rules]]\nname = \"four\"\n")
        try dir.write("conf.d/10-more.toml", "[[rules]]\nname = \"three\"\n")
        let document = try ConfigurationLoader.load(directory: dir.path)
        guard case .tableArray(let rules)? = document.root["rules"]?.kind else {
            Issue.record("rules is not an array of tables")
            return
        }
        #expect(rules.map { $0["name"]?.kind } == ["one", "two", "three", "four"].map { .string($0) })
        #expect(rules.map(\.location.file.lastPathComponent) == ["vigil.toml", "vigil.toml", "10-more.toml", "20-more.toml"])
        #expect(rules.map(\.location.line) == [1, 4, 1, 1])
    }

    @Test func aLaterValueOfAnotherTypeReplacesAnEarlierOne() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        try dir.write("vigil.toml", "[[rules]]\nname = \"one\"\n[store]\ncodec = \"zstd\"\n")
        try dir.write("conf.d/10.toml", "rules = []\nstore = \"none\"\n")
        let document = try ConfigurationLoader.load(directory: dir.path)
        #expect(document.root["rules"]?.kind == .array([]))
        #expect(document.root["store"]?.kind == .string("none"))
    }

    @Test func onlyVisibleTOMLFilesAreRead() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        let used = try dir.write("conf.d/10-used.toml", "a = 1\n")
        try dir.write("conf.d/.hidden.toml", "this is not toml")
        try dir.write("conf.d/README", "this is not toml")
        try dir.write("conf.d/20-old.toml.bak", "this is not toml")
        try dir.createDirectory("conf.d/30-directory.toml")
        let document = try ConfigurationLoader.load(directory: dir.path)
        #expect(document.files == [used])
        #expect(document.root["a"]?.kind == .integer(1))
    }

    @Test func missingMainFileAndDropInDirectoryAreFine() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        let empty = try ConfigurationLoader.load(directory: dir.path)
        #expect(empty.files.isEmpty)
        #expect(empty.root.isEmpty)
        #expect(empty.root.location.file == dir.path + "/vigil.toml")

        let dropIn = try dir.write("conf.d/10.toml", "x = 1\n")
        #expect(try ConfigurationLoader.load(directory: dir.path).files == [dropIn])
    }

    @Test func aMissingDirectoryIsAnErrorNamingIt() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        let missing = dir.path + "/nowhere"
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.load(directory: missing) }
        #expect(error == .io(path: missing, reason: "configuration directory does not exist"))
        #expect(error?.description == "\(missing): configuration directory does not exist")

        let file = try dir.write("plain", "")
        let notDirectory = #expect(throws: ConfigError.self) { try ConfigurationLoader.load(directory: file) }
        #expect(notDirectory?.description == "\(file): not a directory")
    }

    @Test func aSyntaxErrorNamesTheFileLineAndKey() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        try dir.write("vigil.toml", "a = 1\n")
        let bad = try dir.write("conf.d/10-store.toml", "# store\n\n[store]\ncodec = \"zstd\ncodec2 = 1\n")
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.load(directory: dir.path) }
        #expect(error?.location == ConfigLocation(file: bad, line: 4))
        #expect(error?.key == "store.codec")
        #expect(
            error?.description == "\(bad):4: store.codec: unterminated string: missing the closing '\"' before the end of the line")
    }

    @Test func explicitFilesAreMergedInTheGivenOrder() throws {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        let first = try dir.write("z.toml", "a = \"z\"\n[[r]]\nn = 1\n")
        let second = try dir.write("a.toml", "a = \"a\"\n[[r]]\nn = 2\n")
        let document = try ConfigurationLoader.load(files: [first, second])
        #expect(document.files == [first, second])
        #expect(document.root["a"]?.kind == .string("a"))
        guard case .tableArray(let r)? = document.root["r"]?.kind else {
            Issue.record("r is not an array of tables")
            return
        }
        #expect(r.map { $0["n"]?.kind } == [.integer(1), .integer(2)])

        let missing = dir.path + "/missing.toml"
        let error = #expect(throws: ConfigError.self) { try ConfigurationLoader.load(files: [first, missing]) }
        #expect(error?.description == "\(missing): cannot open: No such file or directory")
    }
}

extension String {
    fileprivate var lastPathComponent: String { split(separator: "/").last.map(String.init) ?? self }
}
