import Foundation
import Testing
import VigilTestSupport

/// The labelled samples in bench/templates as regression tests: `vigil templates --assign` must
/// group each format at least as well as its measured grouping accuracy (bench/templates/floors.json).
@Suite("Template grouping accuracy")
struct TemplateAccuracyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everyLabelledFormatStaysAtItsMeasuredAccuracy() async throws {
        let bench = Self.root.appendingPathComponent("bench/templates")
        let vigil = productsDirectory.appendingPathComponent("vigil").path
        let result = try await runProcess(
            "/usr/bin/env",
            [
                "python3", bench.appendingPathComponent("eval.py").path, "--no-drain3", "--no-line",
                "--vigil-cmd", "\(vigil) templates --assign --format raw --config \(Self.root.path)",
                "--check", bench.appendingPathComponent("floors.json").path,
            ])
        #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
    }
}
