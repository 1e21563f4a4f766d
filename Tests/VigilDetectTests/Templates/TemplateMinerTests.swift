import Testing
import VigilCore

@testable import VigilDetect

@Suite("Template miner")
struct TemplateMinerTests {
    func template(_ message: String, configuration: TemplateMinerConfiguration = TemplateMinerConfiguration()) -> String {
        var miner = TemplateMiner(configuration: configuration)
        let match = miner.learn(message)
        return miner.template(id: match.id)!.template
    }

    @Test func builtInMasks() {
        #expect(
            template("connection from 10.0.0.1:22 (fe80::1) user=alice id=42 took 12ms")
                == "connection from <IP> (<IP>) user=alice id=<NUM> took <NUM>ms")
        #expect(template("request 123e4567-e89b-12d3-a456-426614174000 done") == "request <UUID> done")
        #expect(template("open /var/log/syslog failed, see https://x.example/a") == "open <PATH> failed, see <PATH>")
        #expect(template("ptr 0xdeadBEEF commit 3f9a2c1b7e") == "ptr <HEX> commit <HEX>")
        #expect(template("size -12.5 at 12:30:01 v2") == "size <NUM> at <NUM>:<NUM>:<NUM> v2")
        #expect(template("said \"hello there world\" and msg='x y' ok") == "said <QUOTED> and msg=<QUOTED> ok")
        #expect(template("face cafe deadbeef") == "face cafe deadbeef")  // hex needs a digit
    }

    @Test func masksCanBeSwitchedOffAndExtended() throws {
        var configuration = TemplateMinerConfiguration()
        configuration.masks = [.number]
        configuration.extraMasks = [ExtraMask(name: "session", pattern: try RegexPattern("^sess-[a-z0-9]+$"))]
        #expect(template("login sess-ab12 from 10.1.2.3 id=7", configuration: configuration) == "login <SESSION> from <NUM> id=<NUM>")
    }

    @Test func similarMessagesShareATemplate() {
        var miner = TemplateMiner()
        let first = miner.learn("user alice logged in from web", service: "auth", time: 5)
        let second = miner.learn("user bob logged in from web", service: "auth", time: 9)
        let other = miner.learn("disk full on volume data", service: "disk", time: 10)
        #expect(first.isNew)
        #expect(!second.isNew)
        #expect(first.id == second.id)
        #expect(other.id != first.id)
        let info = miner.template(id: first.id)!
        #expect(info.template == "user <*> logged in from web")
        #expect(info.count == 2)
        #expect(info.firstSeen == 5 && info.lastSeen == 9)
        #expect(info.service == "auth")
        #expect(miner.templateID(for: "user carol logged in from web") == first.id)
        #expect(miner.templateID(for: "completely different words here now") == nil)
        #expect(miner.count == 2)
    }

    @Test func differentLengthsAreDifferentTemplates() {
        var miner = TemplateMiner()
        let a = miner.learn("job started")
        let b = miner.learn("job started now")
        #expect(a.id != b.id)
    }

    @Test func snapshotRoundTripKeepsIdsAndTemplates() throws {
        var miner = TemplateMiner()
        let messages = [
            "user alice logged in", "user bob logged in", "disk sda1 is 91% full", "disk sdb1 is 95% full",
            "GET /index.html 200 12ms", "connection reset by 10.0.0.9", "a b c d e f",
        ]
        for (index, message) in messages.enumerated() { _ = miner.learn(message, service: "s", time: Int64(index)) }
        let snapshot = miner.snapshot()
        let bytes = snapshot.jsonBytes()
        let decoded = try TemplateSnapshot(jsonBytes: bytes)
        #expect(decoded == snapshot)
        var restored = TemplateMiner()
        restored.restore(decoded)
        #expect(restored.templates == miner.templates)
        for message in messages + ["user carol logged in", "disk sdc1 is 12% full"] {
            #expect(restored.templateID(for: message) == miner.templateID(for: message))
        }
        let next = restored.learn("brand new message kind")
        #expect(next.isNew)
        #expect(next.id == snapshot.nextID)
        #expect(restored.snapshot().templates.count == snapshot.templates.count + 1)
    }

    @Test func snapshotVersionAndMalformedInputAreRefused() {
        #expect(throws: DetectorStateError.unsupportedVersion(state: "template snapshot", version: 99, supported: 1)) {
            try TemplateSnapshot(jsonBytes: Array(#"{"version":99,"nextID":1,"templates":[]}"#.utf8))
        }
        #expect(throws: DetectorStateError.self) { try TemplateSnapshot(jsonBytes: Array("nope".utf8)) }
    }

    @Test func templatesAreCappedLeastRecentlySeenFirst() {
        var configuration = TemplateMinerConfiguration()
        configuration.maxTemplates = 2
        var miner = TemplateMiner(configuration: configuration)
        let a = miner.learn("alpha one")
        _ = miner.learn("beta two three")
        _ = miner.learn("alpha one")  // a is now the most recent
        _ = miner.learn("gamma four five six")  // evicts beta
        #expect(miner.count == 2)
        #expect(miner.evictions == 1)
        #expect(miner.templateID(for: "alpha one") == a.id)
        #expect(miner.templateID(for: "beta two three") == nil)
        // Evicted branches are pruned; learning the same shapes again works.
        for round in 0..<50 { _ = miner.learn("shape number \(round) of \(round)x") }
        #expect(miner.count <= 2)
    }

    @Test func fullNodesRouteToTheWildcardBranch() {
        var configuration = TemplateMinerConfiguration()
        configuration.maxChildren = 3
        var miner = TemplateMiner(configuration: configuration)
        // apple and banana get their own branch, cherry takes the node's last place for the
        // wildcard branch, damson and elder follow it there.
        let words = ["apple", "banana", "cherry", "damson", "elder"]
        let ids = words.map { miner.learn("\($0) \($0)-eaten").id }
        #expect(Set(ids).count == words.count)
        for (word, id) in zip(words, ids) { #expect(miner.templateID(for: "\(word) \(word)-eaten") == id) }
        let restoredIDs: [Int?] = {
            var restored = TemplateMiner(configuration: configuration)
            restored.restore(miner.snapshot())
            return words.map { restored.templateID(for: "\($0) \($0)-eaten") }
        }()
        #expect(restoredIDs == ids.map { Optional($0) })
    }
}
