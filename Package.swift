// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .executable(name: "vigild", targets: ["vigild"]),
        .library(name: "VigilCore", targets: ["VigilCore"]),
        .library(name: "VigilRegex", targets: ["VigilRegex"]),
        .library(name: "VigilStore", targets: ["VigilStore"]),
        .library(name: "VigilFormats", targets: ["VigilFormats"]),
        .library(name: "VigilIngest", targets: ["VigilIngest"]),
        .library(name: "VigilDetect", targets: ["VigilDetect"]),
        .library(name: "VigilIncidents", targets: ["VigilIncidents"]),
        .library(name: "VigilIncidentStore", targets: ["VigilIncidentStore"]),
        .library(name: "VigilIncidentPostgres", targets: ["VigilIncidentPostgres"]),
        .library(name: "VigilNotify", targets: ["VigilNotify"]),
        .library(name: "VigilSettings", targets: ["VigilSettings"]),
        .library(name: "VigilNATS", targets: ["VigilNATS"]),
        .library(name: "VigilFleet", targets: ["VigilFleet"]),
        .library(name: "VigilDaemon", targets: ["VigilDaemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian's -dev packages).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's <malloc.h> (mallopt), for the vigil CLI's heap settings.
        .systemLibrary(name: "CGlibcMalloc"),
        // jemalloc (Debian's libjemalloc-dev), vigild's allocator, with the options it starts with;
        // linked by the vigild executable only (through VigilAllocator).
        .target(name: "CVigilAllocator", linkerSettings: [.linkedLibrary("jemalloc")]),
        .target(name: "VigilAllocator", dependencies: ["CVigilAllocator"]),
        // recvmmsg(2), which glibc declares only with _GNU_SOURCE: the UDP input's batched reads.
        .target(name: "CVigilSocket"),
        // CRC-32C with the CPU's crc32 instruction: the store's block checksums.
        .target(name: "CVigilCRC32C"),

        .target(name: "VigilCore"),
        .target(name: "VigilRegex", dependencies: ["CPCRE2"]),
        .target(
            name: "VigilStore",
            dependencies: [
                "VigilCore", "VigilRegex", "CZstd", "CLZ4", "CVigilCRC32C",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "VigilFormats", dependencies: ["VigilCore"]),
        .target(name: "VigilDetect", dependencies: ["VigilCore", "VigilRegex"]),
        .target(
            name: "VigilIngest",
            dependencies: [
                "VigilCore", "VigilStore", "VigilFormats", "CSystemd", "CZlib", "CVigilSocket",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Incidents: the model, the lifecycle (pure), the configuration and their JSON; no I/O, so
        // `vigil` can decode the API's answers without linking SQLite.
        .target(name: "VigilIncidents", dependencies: ["VigilCore", "VigilDetect", "VigilFormats"]),
        // The incidents' SQLite store (GRDB; Debian's libsqlite3-dev).
        .target(
            name: "VigilIncidentStore",
            dependencies: ["VigilIncidents", "VigilCore", "VigilDetect", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The incidents' PostgreSQL store, shared by several vigild (postgres-nio).
        .target(
            name: "VigilIncidentPostgres",
            dependencies: [
                "VigilIncidents", "VigilCore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Webhooks: the payload formats, Standard Webhooks signing (swift-crypto) and the dispatcher
        // that delivers the outbox (async-http-client).
        .target(
            name: "VigilNotify",
            dependencies: [
                "VigilIncidents", "VigilSettings", "VigilDetect", "VigilCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // A NATS and JetStream client on SwiftNIO, with no Vigil types in it (fleet mode).
        .target(
            name: "VigilNATS",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Fleet mode: the edge's forwarder of store blocks to JetStream and the central input that
        // consumes them.
        .target(
            name: "VigilFleet",
            dependencies: [
                "VigilNATS", "VigilStore", "VigilIngest", "VigilSettings", "VigilCore",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The whole configuration (core, inputs, detection, daemon); free of NIO so `vigil` stays lean.
        .target(name: "VigilSettings", dependencies: ["VigilCore", "VigilIngest", "VigilDetect", "VigilIncidents"]),
        .target(
            name: "VigilDaemon",
            dependencies: [
                "VigilCore", "VigilRegex", "VigilStore", "VigilFormats", "VigilIngest", "VigilDetect", "VigilIncidents",
                "VigilIncidentStore", "VigilIncidentPostgres", "VigilNotify", "VigilSettings", "VigilFleet", "CSystemd",
                "CVigilSocket",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "vigild",
            dependencies: [
                "VigilDaemon", "VigilSettings", "VigilCore", "VigilAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilCore", "VigilRegex", "VigilStore", "VigilFormats", "VigilIngest", "VigilDetect", "VigilIncidents",
                "VigilSettings", "CGlibcMalloc", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Throughput of the detectors on one core (bench/README.md).
        .executableTarget(name: "vigil-detect-bench", dependencies: ["VigilDetect", "VigilCore"], path: "bench/DetectBench"),
        // Signal storms through the incident store, and a database to benchmark the API on.
        .executableTarget(
            name: "vigil-incidents-bench",
            dependencies: [
                "VigilIncidentStore", "VigilIncidentPostgres", "VigilIncidents", "VigilDetect", "VigilCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/IncidentsBench"),
        // libFuzzer targets (Fuzz/README.md: `make fuzz`); a plain build replays inputs given as files.
        .target(name: "FuzzSupport", path: "Fuzz/Support"),
        .executableTarget(name: "FuzzSyslog", dependencies: ["FuzzSupport", "VigilFormats"], path: "Fuzz/Targets/FuzzSyslog"),
        .executableTarget(name: "FuzzHTTPBody", dependencies: ["FuzzSupport", "VigilIngest"], path: "Fuzz/Targets/FuzzHTTPBody"),
        .executableTarget(name: "FuzzJournalEntry", dependencies: ["FuzzSupport", "VigilIngest"], path: "Fuzz/Targets/FuzzJournalEntry"),
        .executableTarget(
            name: "FuzzSegment",
            dependencies: ["FuzzSupport", "VigilStore", "VigilCore", .product(name: "Logging", package: "swift-log")],
            path: "Fuzz/Targets/FuzzSegment"),
        .executableTarget(name: "FuzzTOML", dependencies: ["FuzzSupport", "VigilSettings", "VigilCore"], path: "Fuzz/Targets/FuzzTOML"),
        .executableTarget(name: "FuzzTimeExpression", dependencies: ["FuzzSupport", "VigilCore"], path: "Fuzz/Targets/FuzzTimeExpression"),
        .executableTarget(name: "FuzzTemplateMiner", dependencies: ["FuzzSupport", "VigilDetect"], path: "Fuzz/Targets/FuzzTemplateMiner"),
        // A writer that a test kills with SIGKILL mid-append (recovery tests).
        .executableTarget(name: "vigil-crash-writer", dependencies: ["VigilCore", "VigilStore"], path: "Tests/Support/CrashWriter"),

        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(
            name: "VigilStoreTests",
            dependencies: [
                "VigilStore", "VigilCore", "VigilRegex", "VigilTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ]),
        .testTarget(name: "VigilFormatsTests", dependencies: ["VigilFormats", "VigilCore", "VigilTestSupport"]),
        .testTarget(name: "VigilDetectTests", dependencies: ["VigilDetect", "VigilCore", "VigilTestSupport"]),
        .testTarget(
            name: "VigilIngestTests",
            dependencies: [
                "VigilIngest", "VigilFormats", "VigilStore", "VigilCore", "VigilTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]),
        .target(name: "VigilTestSupport", path: "Tests/VigilTestSupport"),
        .target(
            name: "VigilIncidentsTestSupport", dependencies: ["VigilIncidents", "VigilDetect", "VigilCore"],
            path: "Tests/VigilIncidentsTestSupport"),
        .testTarget(
            name: "VigilIncidentsTests",
            dependencies: ["VigilIncidents", "VigilDetect", "VigilCore", "VigilTestSupport", "VigilIncidentsTestSupport"]),
        .testTarget(
            name: "VigilIncidentStoreTests",
            dependencies: [
                "VigilIncidentStore", "VigilIncidentPostgres", "VigilIncidents", "VigilDetect", "VigilCore", "VigilTestSupport",
                "VigilIncidentsTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "VigilNotifyTests",
            dependencies: [
                "VigilNotify", "VigilIncidents", "VigilSettings", "VigilDetect", "VigilCore", "VigilIncidentsTestSupport",
            ]),
        .testTarget(name: "VigilSettingsTests", dependencies: ["VigilSettings", "VigilIngest", "VigilCore", "VigilTestSupport"]),
        .testTarget(
            name: "VigilNATSTests",
            dependencies: ["VigilNATS", "VigilTestSupport", .product(name: "NIOSSL", package: "swift-nio-ssl")]),
        .testTarget(name: "VigilAllocatorTests", dependencies: ["VigilAllocator"]),
        .testTarget(name: "VigilCLITests", dependencies: ["VigilStore", "VigilCore", "VigilTestSupport"]),
        .testTarget(
            name: "VigilDaemonTests",
            dependencies: [
                "VigilDaemon", "VigilIngest", "VigilStore", "VigilFormats", "VigilCore", "VigilDetect", "VigilSettings",
                "VigilIncidents", "VigilTestSupport", .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]),
        // Starts the real vigild and talks to it with logger, curl, rsyslog and journal files.
        .testTarget(name: "VigilDaemonIntegrationTests", dependencies: ["VigilStore", "VigilCore", "VigilNATS", "VigilTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
