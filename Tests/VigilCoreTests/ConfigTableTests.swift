import Testing

@testable import VigilCore

@Suite("ConfigTable")
struct ConfigTableTests {
    private func reader(_ text: String) throws -> ConfigTable {
        ConfigTable(try TOMLParser.parse(text, file: "c.toml"))
    }

    /// A section the way later issues add them.
    struct Rule: ConfigDecodable, Equatable {
        var name: String
        var window: Int64 = 60_000_000_000
        var services: [String] = []

        init(table: ConfigTable) throws(ConfigError) {
            name = try table.required("name", table.string("name"))
            window = try table.duration("window", atLeast: 1) ?? window
            services = try table.stringArray("services") ?? services
        }
    }

    @Test func typedGetters() throws {
        let table = try reader(
            """
            s = "text"
            i = 7
            b = true
            d = 2.5
            di = 3
            dur = "1h30m"
            dursec = 90
            size = "1.5GiB"
            sizeint = 4096
            list = ["a", "b"]
            """)
        #expect(try table.string("s") == "text")
        #expect(try table.int("i") == 7)
        #expect(try table.int("i", in: 0...10) == 7)
        #expect(try table.bool("b") == true)
        #expect(try table.double("d") == 2.5)
        #expect(try table.double("di") == 3)
        #expect(try table.duration("dur") == 5_400_000_000_000)
        #expect(try table.duration("dursec") == 90_000_000_000)
        #expect(try table.byteSize("size") == 1_610_612_736)
        #expect(try table.byteSize("sizeint") == 4096)
        #expect(try table.stringArray("list") == ["a", "b"])
        #expect(try table.string("absent") == nil)
        #expect(try table.int("absent") ?? 3 == 3)
        try table.finish()
    }

    @Test func typeErrorsCarryTheValueLocation() throws {
        let table = try reader("a = 1\n\nb = \"x\"\nlist = [\"a\",\n  2]\n")
        let error = #expect(throws: ConfigError.self) { try table.bool("b") }
        #expect(error?.description == "c.toml:3: b: expected true or false, got \"x\"")
        let element = #expect(throws: ConfigError.self) { try table.stringArray("list") }
        #expect(element?.description == "c.toml:5: list[1]: expected a string, got 2")
        let range = #expect(throws: ConfigError.self) { try table.int("a", in: 5...Int.max) }
        #expect(range?.description == "c.toml:1: a: expected an integer of at least 5, got 1")
        let negative = #expect(throws: ConfigError.self) { try table.duration("a", atLeast: 2_000_000_000) }
        #expect(negative?.description == "c.toml:1: a: expected a duration of at least 2s, got 1")
    }

    @Test func arraysOfTablesDecodeWithIndexedPaths() throws {
        let root = try reader(
            """
            [[rules]]
            name = "errors"
            window = "5m"

            [[rules]]
            name = "auth"
            services = ["sshd"]
            """)
        let rules = try root.decodeArray(Rule.self, "rules")
        #expect(rules.map(\.name) == ["errors", "auth"])
        #expect(rules[0].window == 300_000_000_000)
        #expect(rules[1].services == ["sshd"])
        try root.finish()
        #expect(try root.decodeArray(Rule.self, "absent").isEmpty)
    }

    @Test func unknownKeysInsideArrayElementsAreReported() throws {
        let root = try reader("[[rules]]\nname = \"a\"\n\n[[rules]]\nname = \"b\"\nwindw = \"1m\"\n")
        _ = try root.decodeArray(Rule.self, "rules")
        let error = #expect(throws: ConfigError.self) { try root.finish() }
        #expect(error?.description == "c.toml:6: rules[1].windw: unknown key (did you mean \"window\"?)")
    }

    @Test func missingRequiredKeyPointsAtTheTable() throws {
        let root = try reader("[[rules]]\nname = \"a\"\n\n[[rules]]\nwindow = \"1m\"\n")
        let error = #expect(throws: ConfigError.self) { try root.decodeArray(Rule.self, "rules") }
        #expect(error?.description == "c.toml:4: rules[1].name: required key is missing")
    }

    @Test func inlineArraysOfTablesDecodeToo() throws {
        let root = try reader("rules = [{ name = \"a\" }, { name = \"b\", window = 5 }]\n")
        let rules = try root.decodeArray(Rule.self, "rules")
        #expect(rules.map(\.window) == [60_000_000_000, 5_000_000_000])
        let wrong = try reader("rules = [{ name = \"a\" }, 3]\n")
        let error = #expect(throws: ConfigError.self) { try wrong.decodeArray(Rule.self, "rules") }
        #expect(error?.description == "c.toml:1: rules[1]: expected a table, got 3")
        let single = try reader("[rules]\nname = \"a\"\n")
        let notArray = #expect(throws: ConfigError.self) { try single.tableArray("rules") }
        #expect(notArray?.description == "c.toml:1: rules: expected an array of tables ([[rules]]), got a table")
    }

    @Test func namedTables() throws {
        let root = try reader(
            """
            [inputs.syslog]
            listen = "udp://0.0.0.0:514"

            [inputs."my.http"]
            listen = "http://127.0.0.1:8080"
            """)
        let inputs = try root.namedTables("inputs")
        #expect(inputs.map(\.name) == ["syslog", "my.http"])
        #expect(try inputs[0].table.string("listen") == "udp://0.0.0.0:514")
        #expect(inputs[1].table.path == "inputs.\"my.http\"")
        let unread = #expect(throws: ConfigError.self) { try root.finish() }
        #expect(unread?.description == "c.toml:5: inputs.\"my.http\".listen: unknown key")
        _ = try inputs[1].table.string("listen")
        try root.finish()

        let scalar = try reader("[inputs]\nsyslog = 1\n")
        let error = #expect(throws: ConfigError.self) { try scalar.namedTables("inputs") }
        #expect(error?.description == "c.toml:2: inputs.syslog: expected a table, got 1")
    }

    @Test func customValidationErrors() throws {
        let table = try reader("\nport = 70000\n")
        #expect(table.invalid("port", "not a port").description == "c.toml:2: port: not a port")
        #expect(table.invalid("absent", "needed").description == "c.toml:1: absent: needed")
        #expect(table.keyPath("a.b") == "\"a.b\"")
    }

    @Test func editDistance() {
        #expect(ConfigTable.editDistance("codec", "codec") == 0)
        #expect(ConfigTable.editDistance("codex", "codec") == 1)
        #expect(ConfigTable.editDistance("", "abc") == 3)
        #expect(ConfigTable.editDistance("kitten", "sitting") == 3)
        #expect(ConfigTable.editDistance("stroe", "store") == 1)
    }
}
