import Testing
import VigilCore
import VigilTestSupport

@testable import VigilDetect

@Suite("Detection configuration")
struct DetectionConfigurationTests {
    /// Loads a configuration directory holding `files` (relative path → TOML).
    func load(_ files: [String: String]) throws -> (DetectionConfiguration, Scratch) {
        let directory = Scratch()
        for (path, text) in files { directory.file(path, text) }
        do {
            let configuration = try DetectionConfiguration(document: ConfigurationLoader.load(directory: directory.path))
            return (configuration, directory)
        } catch {
            directory.remove()
            throw error
        }
    }

    func error(_ files: [String: String]) throws -> ConfigError? {
        let directory = Scratch()
        defer { directory.remove() }
        for (path, text) in files { directory.file(path, text) }
        do {
            _ = try DetectionConfiguration(document: ConfigurationLoader.load(directory: directory.path))
            return nil
        } catch {
            return error
        }
    }

    @Test func withoutRulesTheDefaultRuleApplies() throws {
        let (configuration, directory) = try load(["vigil.toml": "[detectors]\nlateness = \"10s\"\n"])
        defer { directory.remove() }
        #expect(configuration.rules == [RuleConfiguration.defaultRule])
        #expect(configuration.rules[0].match.severity == .err)
        #expect(configuration.rules[0].threshold == 5)
        #expect(configuration.rules[0].window == 60 * second)
        #expect(configuration.lateness == 10 * second)
        #expect(configuration.rate == RateDetectorConfiguration())
        #expect(DetectionConfiguration().rules == [RuleConfiguration.defaultRule])
    }

    @Test func everyKeyIsRead() throws {
        let (configuration, directory) = try load([
            "conf.d/30-detect.toml": """
            [detectors]
            lateness = "45s"
            evidence = 3
            max_streams = 500
            max_buffered = 1000
            max_ahead = "1h"
            wall_clock = false

            [detectors.rate]
            enabled = true
            group_by = ["service", "host"]
            bucket = "30s"
            baseline = "median_mad"
            alpha = 0.1
            history = "1h"
            seasonality = "daily"
            levels = 6
            squash = 8.0
            open_threshold = 0.6
            close_threshold = 0.25
            min_count = 20
            warm_up = "20m"
            rest = "10m"
            spikes = true
            drops = false
            silence = "2m"
            severity = "crit"

            [detectors.error_ratio]
            enabled = false
            group_by = ["tenant"]
            bucket = "2m"
            error_severity = "warning"
            alpha = 0.2
            open_threshold = 0.7
            close_threshold = 0.1
            rest = "20m"
            min_records = 50
            min_errors = 10
            min_increase = 0.1
            warm_up = "30m"
            severity = "err"

            [detectors.new_template]
            enabled = true
            similarity = 0.5
            depth = 5
            max_children = 50
            max_templates = 2000
            masks = ["number", "ip"]
            min_count = 4
            window = "5m"
            warm_up = "2h"
            burst_count = 30
            burst_window = "10m"
            rare_count = 2
            severity = "notice"
            [detectors.new_template.extra_masks]
            session = "^sess-[0-9a-f]+$"

            [[rules]]
            name = "ssh-failures"
            group_by = ["host"]
            window = "5m"
            threshold = 10
            for = "1m"
            severity = "alert"
            title = "{host}: {count} failed logins in {window}"
            [rules.match]
            severity = "notice"
            service = "sshd"
            host = "web-*"
            message = "Failed password"
            fields = { port = "22" }
            fields_regex = { user = "^(root|admin)$" }
            """,
        ])
        defer { directory.remove() }
        #expect(configuration.lateness == 45 * second)
        #expect(configuration.evidence == 3)
        #expect(configuration.maxStreams == 500)
        #expect(configuration.maxBuffered == 1000)
        #expect(configuration.maxAhead == 3600 * second)
        #expect(!configuration.followsWallClock)
        #expect(DetectionConfiguration().followsWallClock)
        let rate = configuration.rate
        #expect(rate.groupBy.names == ["service", "host"])
        #expect(rate.bucket == 30 * second)
        #expect(rate.scorer.baseline.method == .medianMAD)
        #expect(rate.scorer.baseline.alpha == 0.1)
        #expect(rate.scorer.baseline.historyLength == 120)
        #expect(rate.scorer.baseline.seasonalPeriod == 86_400 * second)
        #expect(rate.scorer.baseline.poissonFloor)
        #expect(rate.scorer.levels == 6 && rate.scorer.squashScale == 8)
        #expect(rate.scorer.openThreshold == 0.6 && rate.scorer.closeThreshold == 0.25)
        // Durations become buckets of 30 s.
        #expect(rate.minimumCount == 20 && rate.scorer.warmUp == 40 && rate.scorer.restPeriod == 20)
        #expect(rate.spikes && !rate.drops)
        #expect(rate.silence == 120 * second && rate.severity == .crit)
        let ratio = configuration.errorRatio
        #expect(!ratio.enabled && ratio.groupBy.names == ["tenant"] && ratio.bucket == 120 * second)
        #expect(ratio.errorSeverity == .warning && ratio.scorer.baseline.alpha == 0.2)
        #expect(ratio.scorer.openThreshold == 0.7 && ratio.scorer.closeThreshold == 0.1)
        #expect(!ratio.scorer.baseline.poissonFloor, "a share is not a count")
        #expect(ratio.minimumRecords == 50 && ratio.minimumErrors == 10 && ratio.minimumIncrease == 0.1)
        // Durations become buckets of 2 min.
        #expect(ratio.scorer.warmUp == 15 && ratio.scorer.restPeriod == 10 && ratio.severity == .err)
        // Unset, the median_mad history keeps its default duration (3 h) in buckets of 2 min.
        #expect(ratio.scorer.baseline.historyLength == 90)
        let templates = configuration.newTemplate
        #expect(templates.miner.similarity == 0.5 && templates.miner.depth == 5)
        #expect(templates.miner.maxChildren == 50 && templates.miner.maxTemplates == 2000)
        #expect(templates.miner.masks == [.number, .ip])
        #expect(templates.miner.extraMasks.map(\.name) == ["session"])
        #expect(templates.minimumCount == 4 && templates.window == 300 * second && templates.warmUp == 7200 * second)
        #expect(templates.burstCount == 30 && templates.burstWindow == 600 * second && templates.rareCount == 2)
        #expect(templates.severity == .notice)
        #expect(configuration.rules.count == 1)
        let rule = configuration.rules[0]
        #expect(rule.name == "ssh-failures" && rule.groupBy.names == ["host"])
        #expect(rule.window == 300 * second && rule.threshold == 10 && rule.holdFor == 60 * second)
        #expect(rule.severity == .alert)
        #expect(rule.match.severity == .notice)
        #expect(rule.match.service == NamePattern("sshd") && rule.match.host?.isGlob == true)
        #expect(rule.match.message?.pattern == "Failed password")
        #expect(rule.match.fields.map(\.name) == ["port", "user"])
        let matching = record(1, service: "sshd", host: "web-2", severity: .warning, message: "Failed password for root",
            fields: ["port": "22", "user": "root"])
        #expect(rule.match.matches(matching))
        var other = matching
        other.fields["user"] = "bob"
        #expect(!rule.match.matches(other))
    }

    @Test func aBadRegexNamesTheFileLineKeyAndPCRE2Reason() throws {
        let found = try error([
            "conf.d/30-detect.toml": """
            [[rules]]
            name = "ok"

            [[rules]]
            name = "broken"
            [rules.match]
            message = "timeout (unclosed"
            """,
        ])
        let error = try #require(found)
        #expect(error.key == "rules[1].match.message")
        #expect(error.location?.file.hasSuffix("conf.d/30-detect.toml") == true)
        #expect(error.location?.line == 7)
        #expect(error.reason.contains("invalid regular expression at offset 17: missing closing parenthesis"))
        #expect(error.description.hasSuffix(
            "30-detect.toml:7: rules[1].match.message: invalid regular expression at offset 17: missing closing parenthesis"))
    }

    @Test func typosAndBadValuesAreErrors() throws {
        let typo = try #require(try error(["vigil.toml": "[detectors.rate]\nbukcet = \"10s\"\n"]))
        #expect(typo == .unknownKey(typo.location!, key: "detectors.rate.bukcet", suggestion: "bucket"))
        let duration = try #require(try error(["vigil.toml": "[detectors.rate]\nbucket = \"10 parsecs\"\n"]))
        #expect(duration.key == "detectors.rate.bucket")
        #expect(duration.location?.line == 2)
        let severity = try #require(try error(["vigil.toml": "[[rules]]\nname = \"x\"\nseverity = \"loud\"\n"]))
        #expect(severity.key == "rules[0].severity")
        #expect(severity.reason.contains("expected a severity"))
        let placeholder = try #require(try error(["vigil.toml": "[[rules]]\nname = \"x\"\ntitle = \"{sevice} broke\"\n"]))
        #expect(placeholder.key == "rules[0].title")
        #expect(placeholder.reason.hasPrefix("unknown placeholder {sevice}"))
        let missing = try #require(try error(["vigil.toml": "[[rules]]\nwindow = \"1m\"\n"]))
        #expect(missing == .missingKey(missing.location!, key: "rules[0].name"))
        let mask = try #require(try error(["vigil.toml": "[detectors.new_template]\nmasks = [\"numbers\"]\n"]))
        #expect(mask.key == "detectors.new_template.masks")
        let hysteresis = try #require(try error(["vigil.toml": "[detectors.rate]\nopen_threshold = 0.5\nclose_threshold = 0.6\n"]))
        #expect(hysteresis.key == "detectors.rate.close_threshold")
        let fieldRegex = try #require(try error(["vigil.toml": "[[rules]]\nname = \"x\"\nmatch.fields_regex.user = \"[\"\n"]))
        #expect(fieldRegex.key == "rules[0].match.fields_regex.user")
    }

    @Test func aLaterRuleWithTheSameNameReplacesTheEarlierOne() throws {
        let (configuration, directory) = try load([
            "conf.d/30-detect.toml": """
            [[rules]]
            name = "errors"
            threshold = 5
            match.severity = "err"

            [[rules]]
            name = "oom"
            threshold = 0
            match.message = "Out of memory"
            """,
            "conf.d/90-local.toml": """
            [[rules]]
            name = "errors"
            threshold = 20

            [[rules]]
            name = "oom"
            enabled = false
            """,
        ])
        defer { directory.remove() }
        #expect(configuration.rules.map(\.name) == ["errors", "oom"])
        #expect(configuration.rules[0].threshold == 20)
        #expect(configuration.rules[0].match.severity == nil)
        #expect(configuration.rules[1].enabled == false)
        let engine = DetectionEngine(configuration: configuration)
        // The disabled rule stays quiet; the redefined one fires at its 21st record, as it arrives.
        let signals = engine.process((0..<25).map { record(Double($0), message: "Out of memory") })
        #expect(!signals.contains { $0.name == "oom" })
        #expect(signals.map(\.name) == ["errors"])
        #expect(signals.first?.count == 21)
    }
}
