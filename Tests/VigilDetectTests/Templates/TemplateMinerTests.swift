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
        #expect(
            template(#"Layer sha256:5f322b9933c1f5d03c9b59fc56137abd680b220a cleaned up, ref=abc123def4567890-x"#)
                == "Layer sha256:<HEX> cleaned up, ref=<HEX>-x")
        #expect(template("build 1a2b3c") == "build <HEX>")  // whole tokens keep the shorter rule
    }

    @Test func masksCanBeSwitchedOffAndExtended() throws {
        var configuration = TemplateMinerConfiguration()
        configuration.masks = [.number]
        configuration.extraMasks = [ExtraMask(name: "session", pattern: try RegexPattern("^sess-[a-z0-9]+$"))]
        #expect(template("login sess-ab12 from 10.1.2.3 id=7", configuration: configuration) == "login <SESSION> from <NUM> id=<NUM>")
    }

    @Test func similarMessagesShareATemplate() {
        var miner = TemplateMiner()
        // Names (not words: they have a dot or a dash) vary freely, as in Drain.
        let first = miner.learn("user alice.b logged in from web", service: "auth", time: 5)
        let second = miner.learn("user bob-c logged in from web", service: "auth", time: 9)
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
        #expect(miner.templateID(for: "user carol_d logged in from web") == first.id)
        #expect(miner.templateID(for: "completely different words here now") == nil)
        #expect(miner.count == 2)
    }

    @Test func wordsAreConstantsUntilWordVariantsDifferOnlyThere() {
        var miner = TemplateMiner()
        let states = ["blocking", "forwarding", "disabled"].map { miner.learn("br0: port 1(eth0) entered \($0) state").id }
        #expect(Set(states).count == 3)
        #expect(miner.template(id: states[0])?.template == "br0: port <NUM>(eth0) entered blocking state")
        let entered = miner.learn("device veth1a entered promiscuous mode").id
        let left = miner.learn("device veth1a left promiscuous mode").id
        #expect(entered != left)

        // The fourth user name makes the place a variable: the oldest template keeps its id.
        let users = ["alice", "bob", "carol", "dave"].map { miner.learn("Invalid user \($0) from 10.0.0.1 port 22") }
        #expect(users[0].isNew && users[1].isNew && users[2].isNew && !users[3].isNew)
        #expect(users[3].id == users[0].id)
        #expect(users.map { miner.canonicalID($0.id) } == Array(repeating: users[0].id, count: 4))
        #expect(miner.template(id: users[0].id)?.template == "Invalid user <*> from <IP> port <NUM>")
        #expect(miner.template(id: users[0].id)?.count == 4)
        #expect(miner.template(id: users[1].id)?.id == users[0].id)
        #expect(miner.templateID(for: "Invalid user erin from 10.0.0.2 port 22") == users[0].id)

        // A name at a word's place makes it a variable at once, taking the word siblings along.
        var other = TemplateMiner()
        let root = other.learn("Accepted password for root from 10.0.0.1").id
        let deploy = other.learn("Accepted password for deploy from 10.0.0.1").id
        let www = other.learn("Accepted password for www-data from 10.0.0.1").id
        #expect(www == root)
        #expect(other.canonicalID(deploy) == root)
        #expect(other.count == 1)

        var never = TemplateMinerConfiguration()
        never.wordVariants = 0
        var strict = TemplateMiner(configuration: never)
        let ids = ["a", "b", "c", "d", "e"].map { strict.learn("Invalid user \($0) from 10.0.0.1").id }
        #expect(Set(ids).count == 5)
    }

    @Test func namesDoNotRoute() {
        var miner = TemplateMiner()
        let a = miner.learn("nginx.service: Deactivated successfully.")
        let b = miner.learn("ssh.service: Deactivated successfully.")
        let c = miner.learn("user@1000.service: Deactivated successfully.")
        #expect(a.id == b.id && b.id == c.id)
        #expect(miner.template(id: a.id)?.template == "<*> Deactivated successfully.")
    }

    @Test func accessLogLinesGroupByMethodAndRoute() {
        var miner = TemplateMiner()
        let first = miner.learn(
            #"10.0.0.1 - - [04/Mar/2026:00:00:01 +0000] "GET /api/v1/products/8812?page=2 HTTP/1.1" 200 512 "-" "curl/8.5.0""#)
        let same = miner.learn(
            #"10.9.0.7 - bob [04/Mar/2026:00:00:09 +0000] "GET /api/v1/products/17?page=30 HTTP/1.1" 404 0 "https://x/" "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/121.0""#)
        let otherRoute = miner.learn(#"10.0.0.1 - - [04/Mar/2026:00:00:02 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.28""#)
        let otherMethod = miner.learn(#"10.0.0.1 - - [04/Mar/2026:00:00:02 +0000] "HEAD /healthz HTTP/1.1" 200 0 "-" "curl/8.5.0""#)
        // From the request on (a message whose header a parser took off) is recognised too.
        let content = miner.learn(#""GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.28""#)
        #expect(first.id == same.id)
        #expect(Set([first.id, otherRoute.id, otherMethod.id, content.id]).count == 4)
        #expect(miner.template(id: first.id)?.template == #"<*> - <*> [<*>] "GET /api/v1/products/<*>?page=<*> HTTP/1.1" <*> <*> "<*>" "<*>""#)
        #expect(miner.templateID(for: #""GET /healthz HTTP/2.0" 200 2 "-" "x""#) == nil)
        // A request anywhere else in a line (HAProxy): the request, every other field a variable.
        let haproxy = [
            #"10.0.0.1:4242 [04/Mar/2026:00:00:01.853] fe_http be_api/app-01 0/0/2/177/179 201 50686 - - ---- 0/0 "GET /healthz HTTP/1.1""#,
            #"10.0.0.2:1 [04/Mar/2026:00:00:02.001] fe_https~ be_api/app-02 0/0/1/0/1 200 7 - - CD-- 0/0 "GET /healthz HTTP/1.1""#,
            #"10.0.0.2:1 [04/Mar/2026:00:00:02.001] fe_https~ be_api/app-02 0/0/1/0/1 200 7 - - CD-- 0/0 "GET /metrics HTTP/1.1""#,
        ].map { miner.learn($0).id }
        #expect(haproxy[0] == haproxy[1] && haproxy[1] != haproxy[2])
        // Files below a directory are the directory's.
        let files = ["/static/img/logo.svg", "/static/css/app.3f2a1b.css", "/favicon.ico"].map {
            miner.learn("\"GET \($0) HTTP/1.1\" 200 512").id
        }
        #expect(files[0] == files[1] && files[1] != files[2])
        #expect(miner.template(id: files[0])?.template == #""GET /static/<*> HTTP/1.1" <*> <*>"#)
    }

    @Test func structuredMessagesGroupByKeysAndMessage() {
        var miner = TemplateMiner()
        let json = [
            #"{"level":"info","msg":"request completed","path":"/a/1","status":200,"tags":{"a":[1,2]}}"#,
            #"{"level":"info","msg":"request completed","path":"/b c","status":500,"tags":{}}"#,
            #"{"level":"info","msg":"request failed","path":"/a/1","status":200,"tags":{}}"#,
            #"{"level":"warn","msg":"request completed","path":"/a/1","status":200,"tags":{}}"#,
            #"{"level":"info","msg":"request completed","path":"/a/1","status":200}"#,
        ].map { miner.learn($0).id }
        #expect(json[0] == json[1])
        #expect(Set(json).count == 4)
        #expect(miner.template(id: json[0])?.template == #"{"level":"info","msg":"request completed","path":"<*>","status":<*>,"tags":<*>}"#)

        let logfmt = [
            #"level=INFO msg="user 42 signed in" ip=10.0.0.1 method=password"#,
            #"level=INFO msg="user 7 signed in" ip=10.0.0.9 method="single sign-on""#,
            #"level=ERROR msg="user 7 signed in" ip=10.0.0.9 method=password"#,
            #"level=INFO msg=retrying op=read attempt=3"#,
        ].map { miner.learn($0).id }
        #expect(logfmt[0] == logfmt[1])
        #expect(Set(logfmt).count == 3)
        #expect(miner.template(id: logfmt[0])?.template == #"level=INFO msg="user <NUM> signed in" ip=<*> method=<*>"#)

        let klog = [
            #""SyncLoop ADD" source="api" pods=["shop/a-1"]"#, #""SyncLoop ADD" source="file" pods=["kube/b-2","c"]"#,
            #""SyncLoop DELETE" source="api" pods=["shop/a-1"]"#,
            #""Volume detached for volume "pvc-1" on node "n1" DevicePath """"#,
            #""Volume detached for volume "data" on node "n2" DevicePath """"#,
        ].map { miner.learn($0).id }
        #expect(klog[0] == klog[1] && klog[3] == klog[4])
        #expect(Set(klog).count == 3)
        // Not structured: plain text with one pair, or a broken object.
        #expect(miner.learn("retrying op=read").isNew)
        #expect(miner.learn(#"{"level":"info","msg":"x""#).isNew)
    }

    @Test func javaStackTraceLines() {
        var miner = TemplateMiner()
        let frames = [
            "\tat com.example.orders.OrderService.place(OrderService.java:142)",
            "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
            "    at com.example.Proxy$$EnhancerBySpringCGLIB$$1.run(<generated>)",
        ].map { miner.learn($0).id }
        #expect(Set(frames).count == 1)
        let exceptions = [
            "java.lang.IllegalStateException: order 12 is closed", "java.lang.IllegalStateException: cart empty",
            "Caused by: java.net.SocketTimeoutException: Read timed out",
            "Caused by: java.net.SocketTimeoutException: connect timed out after 3000 ms",
            "java.lang.NullPointerException",
        ].map { miner.learn($0).id }
        #expect(exceptions[0] == exceptions[1] && exceptions[2] == exceptions[3])
        #expect(Set(exceptions).count == 3)
        #expect(miner.template(id: exceptions[2])?.template == "Caused by: java.net.SocketTimeoutException: <*>")
    }

    @Test func mergedAndKeyedTemplatesSurviveARestore() throws {
        var miner = TemplateMiner()
        let messages = [
            "Invalid user alice from 10.0.0.1", "Invalid user bob from 10.0.0.1", "Invalid user carol from 10.0.0.1",
            "Invalid user dave from 10.0.0.1", #""GET /healthz HTTP/1.1" 200 2 "-" "curl""#,
            #"{"msg":"job started","job":"a"}"#, "\tat a.B.c(B.java:1)",
        ]
        let ids = messages.map { miner.learn($0).id }
        let snapshot = try TemplateSnapshot(jsonBytes: miner.snapshot().jsonBytes())
        #expect(snapshot.aliases == [[2, 1], [3, 1]])
        var restored = TemplateMiner()
        restored.restore(snapshot)
        #expect(restored.templates == miner.templates)
        #expect(restored.canonicalID(ids[1]) == ids[0])
        for (message, id) in zip(messages, ids) { #expect(restored.templateID(for: message) == miner.canonicalID(id)) }
    }

    @Test func aSnapshotThatRoutedNamesKeepsItsIds() throws {
        // Before names stopped routing, `nginx.service:` had a branch of its own.
        let old = TemplateSnapshot(
            nextID: 3,
            templates: [
                .init(id: 1, tokens: ["nginx.service:", "Deactivated", "successfully."], path: ["nginx.service:"], count: 5,
                    firstSeen: 0, lastSeen: 0, service: ""),
                .init(id: 2, tokens: ["ssh.service:", "Deactivated", "successfully."], path: ["ssh.service:"], count: 5,
                    firstSeen: 0, lastSeen: 0, service: ""),
            ])
        var miner = TemplateMiner()
        miner.restore(try TemplateSnapshot(jsonBytes: old.jsonBytes()))
        #expect(miner.templateID(for: "nginx.service: Deactivated successfully.") == 1)
        #expect(miner.templateID(for: "ssh.service: Deactivated successfully.") == 2)
        #expect(miner.learn("cron.service: Deactivated successfully.").isNew == false)
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
