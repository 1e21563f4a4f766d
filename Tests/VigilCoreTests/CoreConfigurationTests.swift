import Foundation
import Testing

@testable import VigilCore

@Suite("CoreConfiguration")
struct CoreConfigurationTests {
    /// Writes `files` (relative path → text) into a fresh directory and loads it.
    private func load(_ files: [(String, String)]) throws -> (CoreConfiguration, ConfigTestDirectory) {
        let dir = try ConfigTestDirectory()
        do {
            for (path, text) in files { try dir.write(path, text) }
            return (try CoreConfiguration.load(directory: dir.path), dir)
        } catch {
            dir.remove()
            throw error
        }
    }

    /// Loads `files`, expecting a `ConfigError`; returns it with the directory's path.
    private func loadError(_ files: [(String, String)]) throws -> (ConfigError?, String) {
        let dir = try ConfigTestDirectory()
        defer { dir.remove() }
        for (path, text) in files { try dir.write(path, text) }
        let error = #expect(throws: ConfigError.self) { try CoreConfiguration.load(directory: dir.path) }
        return (error, dir.path)
    }

    @Test func defaultsWhenNothingIsConfigured() throws {
        let (configuration, dir) = try load([])
        defer { dir.remove() }
        #expect(configuration == CoreConfiguration())
        #expect(configuration.dataDir == "/var/lib/vigil")
        #expect(configuration.store.codec == .zstd)
        #expect(configuration.store.zstdLevel == 3)
        #expect(configuration.store.zstdBulkLevel == 7)
        #expect(configuration.store.segmentMaxBytes == 128 << 20)
        #expect(configuration.store.segmentMaxAge == 3_600_000_000_000)
        #expect(configuration.store.fsync == .batch)
        #expect(configuration.store.retentionMaxBytes == nil)
        #expect(configuration.store.retentionMaxAge == nil)
    }

    @Test func everyStoreKey() throws {
        let (configuration, dir) = try load([
            (
                "vigil.toml",
                """
                data_dir = "/srv/vigil"

                [store]
                codec = "lz4"
                zstd_level = 19
                zstd_bulk_level = 12
                segment_max_bytes = "64KiB"
                segment_max_age = "90s"
                fsync = "interval"
                fsync_interval = "250ms"
                commit_delay = "20ms"
                catch_up_codec = "none"
                catch_up_after = "1s"
                recompress_after = "2m"
                compact = false
                retention_max_bytes = "50GiB"
                retention_max_age = "30d"
                """
            )
        ])
        defer { dir.remove() }
        var expected = StoreConfiguration()
        expected.codec = .lz4
        expected.zstdLevel = 19
        expected.zstdBulkLevel = 12
        expected.segmentMaxBytes = 64 << 10
        expected.segmentMaxAge = 90_000_000_000
        expected.fsync = .interval(250_000_000)
        expected.commitDelay = 20_000_000
        expected.catchUpCodec = nil
        expected.catchUpAfter = 1_000_000_000
        expected.recompressAfter = 120_000_000_000
        expected.compact = false
        expected.retentionMaxBytes = 50 << 30
        expected.retentionMaxAge = 30 * 86_400_000_000_000
        #expect(configuration.dataDir == "/srv/vigil")
        #expect(configuration.store == expected)
    }

    @Test func integersAreSecondsAndBytes() throws {
        let (configuration, dir) = try load([
            ("vigil.toml", "[store]\nsegment_max_bytes = 1048576\nsegment_max_age = 600\nretention_max_age = 86400\n")
        ])
        defer { dir.remove() }
        #expect(configuration.store.segmentMaxBytes == 1 << 20)
        #expect(configuration.store.segmentMaxAge == 600_000_000_000)
        #expect(configuration.store.retentionMaxAge == 86_400_000_000_000)
    }

    @Test func fsyncPolicies() throws {
        for (text, policy) in [
            ("fsync = \"interval\"", FsyncPolicy.interval(1_000_000_000)),
            ("fsync = \"interval\"\nfsync_interval = \"5s\"", .interval(5_000_000_000)),
            ("fsync = \"never\"", .never),
            ("fsync = \"batch\"\nfsync_interval = \"5s\"", .batch),
        ] {
            let (configuration, dir) = try load([("vigil.toml", "[store]\n\(text)\n")])
            defer { dir.remove() }
            #expect(configuration.store.fsync == policy, "\(text)")
        }
    }

    @Test func theCatchUpCodecIsLz4ByDefaultAndNamesItsChoicesWhenWrong() throws {
        #expect(StoreConfiguration().catchUpCodec == .lz4)
        let (configuration, dir) = try load([("vigil.toml", "[store]\ncatch_up_codec = \"zstd\"\n")])
        defer { dir.remove() }
        #expect(configuration.store.catchUpCodec == .zstd)
        let (error, errorDir) = try loadError([("vigil.toml", "[store]\ncatch_up_codec = \"gzip\"\n")])
        #expect(error?.description == "\(errorDir)/vigil.toml:2: store.catch_up_codec: expected \"lz4\", \"zstd\" or \"none\", got \"gzip\"")
    }

    @Test func dropInsOverrideSingleKeys() throws {
        let (configuration, dir) = try load([
            ("vigil.toml", "[store]\ncodec = \"zstd\"\nzstd_level = 5\n"),
            ("conf.d/10-store.toml", "[store]\ncodec = \"lz4\"\n"),
            ("conf.d/20-level.toml", "store.zstd_level = 7\n"),
        ])
        defer { dir.remove() }
        #expect(configuration.store.codec == .lz4)
        #expect(configuration.store.zstdLevel == 7)
    }

    @Test func theShippedExamplesSetEveryCoreKeyToItsDefault() throws {
        // The repository's conf.d/ documents every key with its default (the tests directory may be
        // reached through a symbolic link, so resolve it first). The other modules' sections, and
        // unknown keys, are checked by DaemonConfigurationTests.
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let document = try ConfigurationLoader.load(directory: root.path)
        #expect(!document.files.isEmpty)
        #expect(document.files.allSatisfy { $0.hasPrefix(root.path + "/conf.d/") })
        #expect(try CoreConfiguration(table: ConfigTable(document: document)) == CoreConfiguration())
    }

    // MARK: - Errors: FILE:LINE: KEY: REASON

    @Test func aValueOutsideTheChoicesNamesFileLineKeyAndChoices() throws {
        let (error, dir) = try loadError([
            ("vigil.toml", "[store]\ncodec = \"zstd\"\n"),
            ("conf.d/10-store.toml", "# Store settings\n\n[store]\ncodec = \"gzip\"\n"),
        ])
        #expect(error?.description == "\(dir)/conf.d/10-store.toml:4: store.codec: expected \"zstd\" or \"lz4\", got \"gzip\"")
        #expect(error == .invalidValue(
            ConfigLocation(file: "\(dir)/conf.d/10-store.toml", line: 4), key: "store.codec",
            reason: "expected \"zstd\" or \"lz4\", got \"gzip\""))
    }

    @Test func aBadValueType() throws {
        let (error, dir) = try loadError([("vigil.toml", "data_dir = \"/x\"\n[store]\nzstd_level = \"3\"\n")])
        #expect(error?.description == "\(dir)/vigil.toml:3: store.zstd_level: expected an integer from 1 to 19, got \"3\"")

        let (tableError, tableDir) = try loadError([("vigil.toml", "store = 5\n")])
        #expect(tableError?.description == "\(tableDir)/vigil.toml:1: store: expected a table, got 5")

        let (pathError, pathDir) = try loadError([("vigil.toml", "data_dir = [\"/a\"]\n")])
        #expect(pathError?.description == "\(pathDir)/vigil.toml:1: data_dir: expected a string, got [\"/a\"]")

        let (fsyncError, fsyncDir) = try loadError([("vigil.toml", "[store]\nfsync = true\n")])
        #expect(
            fsyncError?.description
                == "\(fsyncDir)/vigil.toml:2: store.fsync: expected \"batch\", \"interval\" or \"never\", got true")

        let (durationError, durationDir) = try loadError([("vigil.toml", "[store]\n\nsegment_max_age = \"5 parsecs\"\n")])
        #expect(
            durationError?.description
                == "\(durationDir)/vigil.toml:3: store.segment_max_age: expected a duration such as \"90s\", \"15m\", "
                + "\"1h\", \"30d\" or a number of seconds, got \"5 parsecs\"")
    }

    @Test func anUnknownKey() throws {
        let (error, dir) = try loadError([("conf.d/10-store.toml", "[store]\ncodec = \"lz4\"\ncompression = \"zstd\"\n")])
        #expect(error?.description == "\(dir)/conf.d/10-store.toml:3: store.compression: unknown key")
        #expect(error == .unknownKey(ConfigLocation(file: "\(dir)/conf.d/10-store.toml", line: 3), key: "store.compression", suggestion: nil))

        let (typo, typoDir) = try loadError([("vigil.toml", "[store]\nsegment_max_byte = \"1GiB\"\n")])
        #expect(
            typo?.description
                == "\(typoDir)/vigil.toml:2: store.segment_max_byte: unknown key (did you mean \"segment_max_bytes\"?)")

        let (table, tableDir) = try loadError([("vigil.toml", "data_dir = \"/x\"\n\n[stroe]\ncodec = \"lz4\"\n")])
        #expect(table?.description == "\(tableDir)/vigil.toml:3: stroe: unknown key (did you mean \"store\"?)")

        let (nested, nestedDir) = try loadError([("vigil.toml", "[store.extra]\nx = 1\n")])
        #expect(nested?.description == "\(nestedDir)/vigil.toml:1: store.extra: unknown key")
    }

    @Test func outOfRangeValues() throws {
        let (level, levelDir) = try loadError([("vigil.toml", "[store]\nzstd_level = 25\n")])
        #expect(level?.description == "\(levelDir)/vigil.toml:2: store.zstd_level: expected an integer from 1 to 19, got 25")

        let (size, sizeDir) = try loadError([("vigil.toml", "[store]\nsegment_max_bytes = \"1KiB\"\n")])
        #expect(
            size?.description == "\(sizeDir)/vigil.toml:2: store.segment_max_bytes: expected a size of at least 64KiB, got \"1KiB\"")

        let (age, ageDir) = try loadError([("vigil.toml", "[store]\nsegment_max_age = \"0s\"\n")])
        #expect(age?.description == "\(ageDir)/vigil.toml:2: store.segment_max_age: expected a duration greater than 0, got \"0s\"")

        let (negative, negativeDir) = try loadError([("vigil.toml", "[store]\nretention_max_bytes = -1\n")])
        #expect(negative?.key == "store.retention_max_bytes")
        #expect(negative?.location == ConfigLocation(file: "\(negativeDir)/vigil.toml", line: 2))

        let (empty, emptyDir) = try loadError([("vigil.toml", "data_dir = \"\"\n")])
        #expect(empty?.description == "\(emptyDir)/vigil.toml:1: data_dir: expected a directory path, got \"\"")
    }

    @Test func aTOMLSyntaxError() throws {
        let (error, dir) = try loadError([
            ("vigil.toml", "[store]\ncodec = \"zstd\"\n"),
            ("conf.d/10-store.toml", "[store]\n\ncodec = lz4\n"),
        ])
        #expect(
            error?.description
                == "\(dir)/conf.d/10-store.toml:3: store.codec: invalid value lz4 (a string must be quoted: \"lz4\")")
    }

    @Test func theErrorPointsAtTheFileThatSetTheValueLast() throws {
        let (error, dir) = try loadError([
            ("vigil.toml", "[store]\nzstd_level = 30\n"),
            ("conf.d/90-local.toml", "\n\n[store]\nzstd_level = 40\n"),
        ])
        #expect(error?.location == ConfigLocation(file: "\(dir)/conf.d/90-local.toml", line: 4))
    }

    @Test func initFromADocumentInMemory() throws {
        let root = try TOMLParser.parse("[store]\ncodec = \"lz4\"\n", file: "inline.toml")
        let configuration = try CoreConfiguration(document: ConfigurationDocument(root: root, files: ["inline.toml"]))
        #expect(configuration.store.codec == .lz4)
    }
}
