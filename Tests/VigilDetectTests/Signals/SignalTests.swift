import Testing
import VigilCore

@testable import VigilDetect

@Suite("Signals")
struct SignalTests {
    @Test func fingerprintsAreStableAcrossProcesses() {
        // FNV-1a 64 of "errors\0service=api": a fixed value, so it must never change.
        #expect(Signal.fingerprint(name: "errors", key: [GroupValue(name: "service", value: "api")]) == "b3b18092a06705a4")
        #expect(Signal.fingerprint(name: "errors", key: []) != Signal.fingerprint(name: "errors", key: [GroupValue(name: "", value: "")]))
        #expect(FNV1a.hash("") == FNV1a.offsetBasis)
        #expect(FNV1a.hash("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func evidenceCutsLongMessagesOnACharacterBoundary() {
        let long = String(repeating: "a", count: 511) + "é" + String(repeating: "b", count: 100)
        let evidence = Evidence(record(1, message: long))
        #expect(evidence.message.utf8.count == 511)
        #expect(evidence.message == String(repeating: "a", count: 511))
        #expect(Evidence(record(1, message: "short")).message == "short")
        #expect(evidence.time == second && evidence.service == "api" && evidence.host == "web-01")
    }

    @Test func titleTemplates() throws {
        let title = try TitleTemplate("{service}: {count} in {window}", names: ["service", "count", "window"])
        #expect(title.render { ["service": "api", "count": "7", "window": "1m"][$0] } == "api: 7 in 1m")
        #expect(throws: TitleTemplate.ParseError.self) { try TitleTemplate("{oops", names: []) }
    }
}
