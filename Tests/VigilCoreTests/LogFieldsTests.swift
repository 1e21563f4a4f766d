import Testing
import VigilCore

/// A record's fields: a sorted array that reads like a dictionary.
@Suite struct LogFieldsTests {
    @Test func keepsEntriesSortedAndReplacesAndRemovesByName() {
        var fields: LogFields = ["pid": "42", "app": "sshd"]
        fields["zone"] = "eu"
        fields["msgid"] = "ID47"
        #expect(fields.map(\.key) == ["app", "msgid", "pid", "zone"])
        fields["pid"] = "43"
        #expect(fields["pid"] == "43")
        #expect(fields.count == 4)
        fields["app"] = nil
        #expect(fields.removeValue(forKey: "zone") == "eu")
        #expect(fields.removeValue(forKey: "absent") == nil)
        #expect(fields.map(\.key) == ["msgid", "pid"])
        #expect(fields["app"] == nil)
    }

    @Test func equalsAndHashesByContentWhateverTheInsertionOrder() {
        var a = LogFields()
        a["b"] = "2"
        a["a"] = "1"
        let b: LogFields = ["a": "1", "b": "2"]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(LogFields(["b": "2", "a": "1"]) == b)
        #expect(b.dictionary == ["a": "1", "b": "2"])
        #expect(b != ["a": "1"])
    }

    @Test func fieldsAddedInOrderOrOutOfOrderStaySorted() {
        var fields = LogFields(minimumCapacity: 2)
        #expect(fields.isEmpty)
        fields["pid"] = "7"
        fields["source_ip"] = "10.0.0.1"  // after the last name: appended
        fields["msgid"] = "X"  // before it: inserted
        fields["source_ip"] = "10.0.0.2"  // the last name again: replaced
        #expect(fields.map(\.key) == ["msgid", "pid", "source_ip"])
        #expect(fields["source_ip"] == "10.0.0.2")
        #expect(fields["zzz"] == nil)
        #expect(fields["a"] == nil)
    }

    @Test func manyFieldsAreFoundByHalving() {
        var fields = LogFields()
        for i in (0..<100).reversed() { fields["k\(i)"] = "v\(i)" }
        #expect(fields.count == 100)
        #expect(fields.map(\.key) == (0..<100).map { "k\($0)" }.sorted())
        for i in 0..<100 { #expect(fields["k\(i)"] == "v\(i)") }
        #expect(fields["k100"] == nil)
        fields["k50"] = nil
        #expect(fields.count == 99)
        #expect(fields["k50"] == nil)
    }
}
