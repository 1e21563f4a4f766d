import Testing

@testable import VigilCore

@Suite("TOMLParser")
struct TOMLParserTests {
    private func parse(_ text: String) throws -> TOMLTable {
        try TOMLParser.parse(text, file: "test.toml")
    }

    /// The value at a dotted path of plain keys.
    private func value(_ table: TOMLTable, _ path: String) -> TOMLValue? {
        var components = path.split(separator: ".").map(String.init)
        let last = components.removeLast()
        var current = table
        for component in components {
            guard case .table(let next)? = current[component]?.kind else { return nil }
            current = next
        }
        return current[last]
    }

    private func kind(_ table: TOMLTable, _ path: String) -> TOMLValue.Kind? { value(table, path)?.kind }

    /// Parses `text`, expecting a syntax error; returns it.
    private func syntaxError(_ text: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try parse(text) }
    }

    private func expectSyntaxError(
        _ text: String, line: Int, key: String? = nil, reason: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let error = syntaxError(text) else { return }
        guard case .syntax(let location, let errorKey, let errorReason) = error else {
            Issue.record("expected a syntax error, got \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(location == ConfigLocation(file: "test.toml", line: line), sourceLocation: sourceLocation)
        #expect(errorKey == key, sourceLocation: sourceLocation)
        #expect(errorReason.contains(reason), "\(errorReason)", sourceLocation: sourceLocation)
    }

    // MARK: - Keys, comments, basic values

    /// A file nested 10,000 deep must not overflow the parser's stack: it is refused with a reason.
    @Test func deepNestingIsRefusedNotOverflowed() throws {
        for text in [
            "x = " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
            "x = " + String(repeating: "{a=", count: 10_000) + "1" + String(repeating: "}", count: 10_000),
            "[" + Array(repeating: "a", count: 10_000).joined(separator: ".") + "]",
            Array(repeating: "a", count: 10_000).joined(separator: ".") + " = 1",
        ] {
            #expect(throws: ConfigError.self) { try parse(text) }
        }
        let deepest = "x = " + String(repeating: "[", count: TOMLParser.maximumDepth) + String(repeating: "]", count: TOMLParser.maximumDepth)
        #expect(try parse(deepest)["x"] != nil)
    }

    @Test func commentsAndSimpleValues() throws {
        let table = try parse(
            """
            # a comment line
            name = "vigil"   # trailing comment
            count = 42
            ratio = 0.5
            enabled = true
            disabled = false

            """)
        #expect(table.keys == ["name", "count", "ratio", "enabled", "disabled"])
        #expect(table["name"]?.kind == .string("vigil"))
        #expect(table["count"]?.kind == .integer(42))
        #expect(table["ratio"]?.kind == .float(0.5))
        #expect(table["enabled"]?.kind == .boolean(true))
        #expect(table["disabled"]?.kind == .boolean(false))
    }

    @Test func emptyDocumentsAndBlankLines() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("\n\n   \n# only a comment").isEmpty)
        #expect(try parse("\u{FEFF}a = 1")["a"]?.kind == .integer(1))
    }

    @Test func bareQuotedAndDottedKeys() throws {
        let table = try parse(
            """
            bare_key-1 = 1
            1234 = 2
            "quoted key" = 3
            'literal.key' = 4
            "" = 5
            site."google.com" = true
            physical . color = "orange"
            physical.shape = "round"
            3.14 = "pi"
            """)
        #expect(table["bare_key-1"]?.kind == .integer(1))
        #expect(table["1234"]?.kind == .integer(2))
        #expect(table["quoted key"]?.kind == .integer(3))
        #expect(table["literal.key"]?.kind == .integer(4))
        #expect(table[""]?.kind == .integer(5))
        guard case .table(let site)? = table["site"]?.kind else {
            Issue.record("site is not a table")
            return
        }
        #expect(site["google.com"]?.kind == .boolean(true))
        #expect(kind(table, "physical.color") == .string("orange"))
        #expect(kind(table, "physical.shape") == .string("round"))
        #expect(kind(table, "3.14") == .string("pi"))
    }

    // MARK: - Strings

    @Test func basicStringEscapes() throws {
        let table = try parse(#"s = "tab\there \"quoted\" back\\slash\nnewline \u00E9 \U0001F600 \b\f\r""#)
        #expect(table["s"]?.kind == .string("tab\there \"quoted\" back\\slash\nnewline é 😀 \u{08}\u{0C}\r"))
    }

    @Test func literalStrings() throws {
        let table = try parse(
            #"""
            path = 'C:\Users\nodejs\templates'
            regex = '<\i\c*\s*>'
            quoted = 'Tom "Dubs" Preston-Werner'
            unicode = 'héllo wörld'
            """#)
        #expect(table["path"]?.kind == .string(#"C:\Users\nodejs\templates"#))
        #expect(table["regex"]?.kind == .string(#"<\i\c*\s*>"#))
        #expect(table["quoted"]?.kind == .string(#"Tom "Dubs" Preston-Werner"#))
        #expect(table["unicode"]?.kind == .string("héllo wörld"))
    }

    @Test func multilineBasicStrings() throws {
        let table = try parse(
            #"""
            a = """
            Roses are red
            Violets are blue"""
            b = """\
                The quick brown \
                fox jumps over \
                the lazy dog.\
                """
            c = """Here are two quotation marks: "". Simple enough."""
            d = """Here are three quotation marks: ""\"."""
            e = """"This," she said, "is just a pointless statement.""""
            f = """tab\tand \u0041"""
            """#)
        #expect(table["a"]?.kind == .string("Roses are red\nViolets are blue"))
        #expect(table["b"]?.kind == .string("The quick brown fox jumps over the lazy dog."))
        #expect(table["c"]?.kind == .string(#"Here are two quotation marks: "". Simple enough."#))
        #expect(table["d"]?.kind == .string(#"Here are three quotation marks: """."#))
        #expect(table["e"]?.kind == .string(#""This," she said, "is just a pointless statement.""#))
        #expect(table["f"]?.kind == .string("tab\tand A"))
    }

    @Test func multilineLiteralStrings() throws {
        let table = try parse(
            #"""
            regex = '''I [dw]on't need \d{2} apples'''
            lines = '''
            The first newline is
            trimmed in raw strings.
               All other whitespace
               is preserved.
            '''
            quotes = ''''That,' she said, 'is still pointless.''''
            """#)
        #expect(table["regex"]?.kind == .string(#"I [dw]on't need \d{2} apples"#))
        #expect(
            table["lines"]?.kind
                == .string("The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n"))
        #expect(table["quotes"]?.kind == .string("'That,' she said, 'is still pointless.'"))
    }

    @Test func crlfLineEndings() throws {
        let table = try parse("a = 1\r\nb = \"\"\"\r\nx\r\ny\"\"\"\r\n[t]\r\nc = 2 # note\r\n")
        #expect(table["a"]?.kind == .integer(1))
        #expect(table["b"]?.kind == .string("x\ny"))
        #expect(kind(table, "t.c") == .integer(2))
        #expect(value(table, "t.c")?.location.line == 6)
    }

    // MARK: - Numbers, booleans, date-times

    @Test func integers() throws {
        let table = try parse(
            """
            a = +99
            b = 42
            c = 0
            d = -17
            e = 1_000
            f = 5_349_221
            g = 0xDEADBEEF
            h = 0xdead_beef
            i = 0o755
            j = 0b11010110
            k = 9_223_372_036_854_775_807
            l = -9223372036854775808
            m = -0
            n = +0
            """)
        let expected: [(String, Int64)] = [
            ("a", 99), ("b", 42), ("c", 0), ("d", -17), ("e", 1000), ("f", 5_349_221), ("g", 0xDEAD_BEEF),
            ("h", 0xDEAD_BEEF), ("i", 0o755), ("j", 0b1101_0110), ("k", .max), ("l", .min), ("m", 0), ("n", 0),
        ]
        for (key, number) in expected {
            #expect(table[key]?.kind == .integer(number), "\(key)")
        }
    }

    @Test func floats() throws {
        let table = try parse(
            """
            a = +1.0
            b = 3.1415
            c = -0.01
            d = 5e+22
            e = 1e06
            f = -2E-2
            g = 6.626e-34
            h = 224_617.445_991_228
            i = inf
            j = +inf
            k = -inf
            l = nan
            m = -nan
            n = 0.0
            o = 0e0
            """)
        let expected: [(String, Double)] = [
            ("a", 1), ("b", 3.1415), ("c", -0.01), ("d", 5e22), ("e", 1e6), ("f", -2e-2), ("g", 6.626e-34),
            ("h", 224_617.445_991_228), ("i", .infinity), ("j", .infinity), ("k", -.infinity), ("n", 0), ("o", 0),
        ]
        for (key, number) in expected {
            #expect(table[key]?.kind == .float(number), "\(key)")
        }
        for key in ["l", "m"] {
            guard case .float(let number)? = table[key]?.kind else {
                Issue.record("\(key) is not a float")
                continue
            }
            #expect(number.isNaN)
        }
    }

    @Test func dateTimesAreKeptAsText() throws {
        let table = try parse(
            """
            odt1 = 1979-05-27T07:32:00Z
            odt2 = 1979-05-27T00:32:00-07:00
            odt3 = 1979-05-27T00:32:00.999999+07:00
            odt4 = 1979-05-27 07:32:00Z
            ldt = 1979-05-27T07:32:00.5
            ld = 1979-05-27
            lt = 00:32:00.999999
            leap = 2024-02-29
            """)
        for (key, text) in [
            ("odt1", "1979-05-27T07:32:00Z"), ("odt2", "1979-05-27T00:32:00-07:00"),
            ("odt3", "1979-05-27T00:32:00.999999+07:00"), ("odt4", "1979-05-27 07:32:00Z"),
            ("ldt", "1979-05-27T07:32:00.5"), ("ld", "1979-05-27"), ("lt", "00:32:00.999999"), ("leap", "2024-02-29"),
        ] {
            #expect(table[key]?.kind == .string(text), "\(key)")
        }
    }

    // MARK: - Arrays and inline tables

    @Test func arrays() throws {
        let table = try parse(
            """
            integers = [ 1, 2, 3 ]
            colors = [ "red", "yellow", "green", ]
            nested = [ [ 1, 2 ], ["a", 'b'] ]
            mixed = [ 0.1, "x", true, { a = 1 } ]
            empty = []
            multi = [
              1,   # one
              # a comment line
              2,
            ]
            """)
        let integer = { (n: Int64) in TOMLValue.Kind.integer(n) }
        guard case .array(let integers)? = table["integers"]?.kind else {
            Issue.record("integers is not an array")
            return
        }
        #expect(integers.map(\.kind) == [integer(1), integer(2), integer(3)])
        guard case .array(let colors)? = table["colors"]?.kind else {
            Issue.record("colors is not an array")
            return
        }
        #expect(colors.count == 3)
        guard case .array(let nested)? = table["nested"]?.kind, case .array(let inner)? = nested.last?.kind else {
            Issue.record("nested is not an array of arrays")
            return
        }
        #expect(inner.map(\.kind) == [.string("a"), .string("b")])
        guard case .array(let mixed)? = table["mixed"]?.kind, case .table(let inline)? = mixed.last?.kind else {
            Issue.record("mixed does not end with a table")
            return
        }
        #expect(inline["a"]?.kind == integer(1))
        #expect(table["empty"]?.kind == .array([]))
        guard case .array(let multi)? = table["multi"]?.kind else {
            Issue.record("multi is not an array")
            return
        }
        #expect(multi.map(\.kind) == [integer(1), integer(2)])
        #expect(multi.map(\.location.line) == [7, 9])
    }

    @Test func inlineTables() throws {
        let table = try parse(
            """
            name = { first = "Tom", last = "Preston-Werner" }
            point = {x=1,y=2}
            animal = { type.name = "pug", type.size = "small" }
            empty = {}
            """)
        #expect(kind(table, "name.first") == .string("Tom"))
        #expect(kind(table, "point.y") == .integer(2))
        #expect(kind(table, "animal.type.name") == .string("pug"))
        #expect(kind(table, "animal.type.size") == .string("small"))
        guard case .table(let empty)? = table["empty"]?.kind else {
            Issue.record("empty is not a table")
            return
        }
        #expect(empty.isEmpty)
    }

    // MARK: - Tables

    @Test func tablesAndSubTables() throws {
        let table = try parse(
            """
            title = "root"

            [server]
            host = "localhost"

            [server.tls]
            enabled = true

            [a.b.c]
            d = 1

            [a]
            e = 2

            [fruit]
            apple.color = "red"

            [fruit.apple.texture]
            smooth = true
            """)
        #expect(kind(table, "server.host") == .string("localhost"))
        #expect(kind(table, "server.tls.enabled") == .boolean(true))
        #expect(kind(table, "a.b.c.d") == .integer(1))
        #expect(kind(table, "a.e") == .integer(2))
        #expect(kind(table, "fruit.apple.color") == .string("red"))
        #expect(kind(table, "fruit.apple.texture.smooth") == .boolean(true))
        #expect(table.keys == ["title", "server", "a", "fruit"])
    }

    @Test func arraysOfTables() throws {
        let table = try parse(
            """
            [[products]]
            name = "Hammer"
            sku = 738594937

            [[products]]

            [[products]]
            name = "Nail"

            [products.dimensions]
            length = 2

            [[products.variants]]
            color = "grey"
            """)
        guard case .tableArray(let products)? = table["products"]?.kind else {
            Issue.record("products is not an array of tables")
            return
        }
        #expect(products.count == 3)
        #expect(products[0]["name"]?.kind == .string("Hammer"))
        #expect(products[1].isEmpty)
        #expect(products[2]["name"]?.kind == .string("Nail"))
        #expect(kind(products[2], "dimensions.length") == .integer(2))
        guard case .tableArray(let variants)? = products[2]["variants"]?.kind else {
            Issue.record("variants is not an array of tables")
            return
        }
        #expect(variants.first?["color"]?.kind == .string("grey"))
        #expect(products.map(\.location.line) == [1, 5, 7])
        #expect(table["products"]?.location.line == 1)
    }

    // MARK: - Locations

    @Test func valuesAndKeysCarryTheirLocations() throws {
        let table = try parse(
            """
            # line 1
            a = 1
            text = \"\"\"
            two
            lines\"\"\"
            after = [
              "x",
              "y",
            ]

            [store]
            codec = "zstd"
            limits.max = 5
            """)
        #expect(table["a"]?.location == ConfigLocation(file: "test.toml", line: 2))
        #expect(table.entry("a")?.keyLocation.line == 2)
        #expect(table["text"]?.location.line == 3)
        #expect(table["after"]?.location.line == 6)
        guard case .array(let after)? = table["after"]?.kind else {
            Issue.record("after is not an array")
            return
        }
        #expect(after.map(\.location.line) == [7, 8])
        #expect(table["store"]?.location.line == 11)
        #expect(table.entry("store")?.keyLocation.line == 11)
        #expect(value(table, "store.codec")?.location.line == 12)
        #expect(value(table, "store.limits.max")?.location.line == 13)
        #expect(value(table, "store.codec")?.location.file == "test.toml")
    }

    // MARK: - Errors

    @Test func errorDescriptionReadsFileLineKeyReason() {
        let error = syntaxError("[store]\ncodec = gzip\n")
        #expect(error?.description == #"test.toml:2: store.codec: invalid value gzip (a string must be quoted: "gzip")"#)
        #expect(error?.location == ConfigLocation(file: "test.toml", line: 2))
        #expect(error?.key == "store.codec")
    }

    @Test func duplicateKeys() {
        expectSyntaxError("a = 1\na = 2", line: 2, key: "a", reason: "duplicate key (first defined on line 1)")
        expectSyntaxError("[t]\nb = 1\n\"b\" = 2", line: 3, key: "t.b", reason: "duplicate key")
        expectSyntaxError("a.b = 1\na.b = 2", line: 2, key: "a.b", reason: "duplicate key")
        expectSyntaxError("a = 1\na.b = 2", line: 2, key: "a.b", reason: "is already an integer")
        expectSyntaxError("p = { x = 1, x = 2 }", line: 1, key: "p.x", reason: "duplicate key")
        expectSyntaxError("a = { x = 1 }\na.y = 2", line: 2, key: "a.y", reason: "already a table")
    }

    @Test func redefinedTables() {
        expectSyntaxError("[a]\nx = 1\n\n[a]\ny = 2", line: 4, key: "a", reason: "table [a] is defined twice (first on line 1)")
        expectSyntaxError("[a.b]\n[a]\n[a.b]", line: 3, key: "a.b", reason: "defined twice")
        expectSyntaxError("[fruit]\napple.color = 1\n[fruit.apple]", line: 3, key: "fruit.apple", reason: "dotted keys")
        expectSyntaxError("a.b = 1\n[a]", line: 2, key: "a", reason: "dotted keys")
        expectSyntaxError("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", line: 4, key: "a.b.c.t", reason: "defined by a header")
        expectSyntaxError("a = 1\n[a]", line: 2, key: "a", reason: "already an integer")
        expectSyntaxError("a = {}\n[a.b]", line: 2, key: "a.b", reason: "already a table")
        expectSyntaxError("[a]\n[[a]]", line: 2, key: "a", reason: "already a table")
        expectSyntaxError("[[a]]\n[a]", line: 2, key: "a", reason: "already an array of tables")
        expectSyntaxError("a = [1]\n[[a]]", line: 2, key: "a", reason: "already an array")
        expectSyntaxError("[[a]]\n[a]\nx = 1", line: 2, key: "a", reason: "array of tables")
    }

    @Test func badStrings() {
        expectSyntaxError(#"s = "a\qb""#, line: 1, key: "s", reason: "invalid escape sequence: backslash followed by 'q'")
        expectSyntaxError(#"s = "\u12""#, line: 1, key: "s", reason: "\\u needs 4 hexadecimal digits")
        expectSyntaxError(#"s = "\uD800""#, line: 1, key: "s", reason: "not a Unicode scalar value")
        expectSyntaxError(#"s = "\U00110000""#, line: 1, key: "s", reason: "not a Unicode scalar value")
        expectSyntaxError("s = \"abc\nt = 1", line: 1, key: "s", reason: "unterminated string")
        expectSyntaxError("s = \"abc", line: 1, key: "s", reason: "unterminated string")
        expectSyntaxError("s = 'abc\n", line: 1, key: "s", reason: "unterminated string")
        expectSyntaxError("x = 1\ns = \"\"\"abc\n\ndef", line: 4, key: "s", reason: "opened on line 2")
        expectSyntaxError("s = '''abc", line: 1, key: "s", reason: "unterminated multi-line string")
        expectSyntaxError("s = \"a\u{01}b\"", line: 1, key: "s", reason: "control character U+0001")
        expectSyntaxError("s = \"\"\"a\"\"\"\"\"\"", line: 1, key: "s", reason: "too many quotes")
        expectSyntaxError("\"\"\"key\"\"\" = 1", line: 1, reason: "a key cannot be a multi-line string")
    }

    @Test func badNumbersAndValues() {
        expectSyntaxError("a = 012", line: 1, key: "a", reason: "leading zeros are not allowed")
        expectSyntaxError("a = 1__000", line: 1, key: "a", reason: "invalid number 1__000")
        expectSyntaxError("a = _1", line: 1, key: "a", reason: "invalid value _1")
        expectSyntaxError("a = 1_", line: 1, key: "a", reason: "invalid number")
        expectSyntaxError("a = 9223372036854775808", line: 1, key: "a", reason: "out of range")
        expectSyntaxError("a = 0x1_0000_0000_0000_0000", line: 1, key: "a", reason: "out of range")
        expectSyntaxError("a = -0x10", line: 1, key: "a", reason: "invalid number")
        expectSyntaxError("a = 0xG", line: 1, key: "a", reason: "invalid number")
        expectSyntaxError("a = 1.", line: 1, key: "a", reason: "decimal point")
        expectSyntaxError("a = .5", line: 1, key: "a", reason: "invalid value .5")
        expectSyntaxError("a = 1e", line: 1, key: "a", reason: "exponent")
        expectSyntaxError("a = 03.14", line: 1, key: "a", reason: "leading zeros")
        expectSyntaxError("a = 1979-02-29", line: 1, key: "a", reason: "invalid date-time")
        expectSyntaxError("a = 1979-05-27T25:00:00Z", line: 1, key: "a", reason: "invalid date-time")
        expectSyntaxError("a = 07:32:00Z", line: 1, key: "a", reason: "invalid date-time")
        expectSyntaxError("a = TRUE", line: 1, key: "a", reason: "invalid value TRUE")
        expectSyntaxError("a = @x", line: 1, key: "a", reason: "expected a value, found '@'")
        expectSyntaxError("a =\nb = 1", line: 1, key: "a", reason: "expected a value, found a newline")
        expectSyntaxError("a = ", line: 1, key: "a", reason: "expected a value, found end of file")
    }

    @Test func badStructure() {
        expectSyntaxError("a = 1 2", line: 1, key: "a", reason: "expected a newline after the value, found '2'")
        expectSyntaxError("a 1", line: 1, key: "a", reason: "expected '=' after the key, found '1'")
        expectSyntaxError("= 1", line: 1, reason: "expected a key, found '='")
        expectSyntaxError("a.= 1", line: 1, reason: "expected a key")
        expectSyntaxError("[a", line: 1, key: "a", reason: "expected ']'")
        expectSyntaxError("[[a]", line: 1, key: "a", reason: "expected ']]'")
        expectSyntaxError("[]", line: 1, reason: "expected a key, found ']'")
        expectSyntaxError("[a] b = 1", line: 1, key: "a", reason: "expected a newline after the table header")
        expectSyntaxError("a = [1, 2", line: 1, key: "a", reason: "unterminated array")
        expectSyntaxError("a = [1 2]", line: 1, key: "a", reason: "expected ',' or ']'")
        expectSyntaxError("a = [1,,2]", line: 1, key: "a", reason: "expected a value, found ','")
        expectSyntaxError("a = { x = 1,\n y = 2 }", line: 1, key: "a", reason: "inline table must be on one line")
        expectSyntaxError("a = { x = 1, }", line: 1, key: "a", reason: "trailing comma")
        expectSyntaxError("a = { x = 1", line: 1, key: "a", reason: "unterminated inline table")
        expectSyntaxError("a = 1\r b = 2", line: 1, key: "a", reason: "carriage return")
        expectSyntaxError("# comment \u{7F}\n", line: 1, reason: "control character U+007F")
        expectSyntaxError("a = 1\nb = é", line: 2, key: "b", reason: "U+00E9 'é'")
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let bytes = Array("a = 1\nb = \"".utf8) + [0xFF, 0xFE] + Array("\"\n".utf8)
        let error = #expect(throws: ConfigError.self) { try TOMLParser.parse(bytes: bytes, file: "bin.toml") }
        #expect(error?.description == "bin.toml:2: invalid UTF-8")
        let table = try TOMLParser.parse(bytes: Array("a = \"é\"".utf8), file: "ok.toml")
        #expect(table["a"]?.kind == .string("é"))
    }

    @Test func truncatedAndMutatedInputNeverCrashes() {
        let document = #"""
            # sample
            title = "T\u00E9st" # comment
            [store]
            codec = 'zstd'
            n = [1, 2.5e3, 0x1F, 0o7, 0b1, +inf, nan, 1_000]
            when = 1979-05-27 07:32:00.5+01:00
            text = """
            multi \
              line ""quoted"" """
            raw = '''a ''b'''
            inline = { a.b = 1, c = [ { d = true } ] }
            [[rules]]
            "quoted key" = 00:00:00
            [rules.sub]
            x.y = 2
            """#
        let bytes = Array(document.utf8)
        #expect((try? TOMLParser.parse(bytes: bytes, file: "fuzz.toml")) != nil)
        for end in 0...bytes.count {
            _ = try? TOMLParser.parse(bytes: Array(bytes[..<end]), file: "fuzz.toml")
        }
        for position in bytes.indices {
            for replacement in Array("\"'[]{}=.,#\\\n\r \u{7F}0x_:+-".utf8) {
                var mutated = bytes
                mutated[position] = replacement
                _ = try? TOMLParser.parse(bytes: mutated, file: "fuzz.toml")
            }
        }
    }

    // MARK: - Rendering

    @Test func valuesRenderAsTOML() throws {
        let table = try parse(#"a = ["x\"y", 1, 2.5, true, { k = "v" }, inf]"#)
        #expect(table["a"]?.description == #"["x\"y", 1, 2.5, true, { k = "v" }, inf]"#)
        #expect(TOMLValue.quote("tab\there\u{01}") == #""tab\there\u0001""#)
        #expect(TOMLKey.path(["inputs", "my.host", "port"]) == #"inputs."my.host".port"#)
    }
}
