import Foundation
import Testing
import VigilTestSupport

/// `vigil config check`: vigild's validation, the overrides that make vigil.toml silent, and the
/// effective configuration with origins.
@Suite struct ConfigCheckCommandTests {
    @Test func aValidDirectoryPassesAndOverridesOfVigilTomlAreWarnedAbout() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let main = scratch.file("vigil.toml", "data_dir = \"/var/lib/x\"\n[store]\ncodec = \"lz4\"\nzstd_level = 9\n")
        let dropIn = scratch.file("conf.d/10-local.toml", "[store]\ncodec = \"zstd\"\n[[rules]]\nname = \"e\"\n[rules.match]\nseverity = \"err\"\n")
        let result = try await vigil(["config", "check", "--config", scratch.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("vigil: warning: \(main):3: store.codec is overridden by \(dropIn):2"))
        #expect(!result.stderr.contains("zstd_level is overridden"))
        #expect(result.stderr.contains("\(scratch.path) is valid (2 files"))

        let effective = try await vigil(["config", "check", "--config", scratch.path, "--effective"])
        #expect(effective.status == 0)
        #expect(effective.lines.contains("codec = \"zstd\"  # \(dropIn):2"))
        #expect(effective.lines.contains("zstd_level = 9  # \(main):4"))
        #expect(effective.lines.contains("[[rules]]  # \(dropIn):3"))
        #expect(effective.lines.contains("[rules.match]"))
        #expect(effective.lines.contains("severity = \"err\"  # \(dropIn):6"))
    }

    @Test func theEffectiveConfigurationHidesSecrets() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        _ = scratch.file(
            "vigil.toml",
            """
            [api]
            tokens = [{ name = "ops", token = "api-secret-1" }]
            [[webhooks]]
            name = "pager"
            format = "pagerduty"
            routing_key = "pd-secret-2"
            secrets = ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
            headers = { Authorization = "Bearer header-secret-3" }
            """)
        let effective = try await vigil(["config", "check", "--config", scratch.path, "--effective"])
        #expect(effective.status == 0, "\(effective.stderr)")
        for secret in ["api-secret-1", "pd-secret-2", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "header-secret-3"] {
            #expect(!effective.stdout.contains(secret))
        }
        #expect(effective.lines.contains { $0.hasPrefix("routing_key = \"(hidden)\"  # ") })
        #expect(effective.lines.contains { $0.hasPrefix("name = \"pager\"  # ") })
    }

    @Test func anInvalidDirectoryFailsWithFileLineKeyAndReason() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let bad = scratch.file("conf.d/20-bad.toml", "[store]\ncodec = \"gzip\"\n")
        let result = try await vigil(["config", "check", "--config", scratch.path])
        #expect(result.status == 1)
        #expect(result.stderr == "vigil: \(bad):2: store.codec: expected \"zstd\" or \"lz4\", got \"gzip\"\n")
        let missing = try await vigil(["config", "check", "--config", scratch.path + "/nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test func theShippedExamplesAreValid() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let result = try await vigil(["config", "check", "--config", root])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
