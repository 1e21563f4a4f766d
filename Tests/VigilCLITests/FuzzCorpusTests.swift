import Foundation
import Testing
import VigilTestSupport

/// Every fuzz target, built plainly, replays its seed corpus (Fuzz/corpus/TARGET): the inputs
/// that once crashed stay fixed, and the harnesses keep building and running.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus").path

    @Test(arguments: ["FuzzSyslog", "FuzzHTTPBody", "FuzzJournalEntry", "FuzzSegment", "FuzzTOML", "FuzzTimeExpression", "FuzzTemplateMiner"])
    func theSeedCorpusReplaysCleanly(target: String) async throws {
        let result = try await runProcess(target, [Self.corpus + "/" + target])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("replayed "))
        #expect(!result.stdout.hasPrefix("replayed 0 "))
    }
}
