// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilCore", targets: ["VigilCore"]),
        .library(name: "VigilRegex", targets: ["VigilRegex"]),
        .library(name: "VigilStore", targets: ["VigilStore"]),
        .library(name: "VigilFormats", targets: ["VigilFormats"]),
        .library(name: "VigilIngest", targets: ["VigilIngest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian's -dev packages).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),

        .target(name: "VigilCore"),
        .target(name: "VigilRegex", dependencies: ["CPCRE2"]),
        .target(
            name: "VigilStore",
            dependencies: [
                "VigilCore", "VigilRegex", "CZstd", "CLZ4",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "VigilFormats", dependencies: ["VigilCore"]),
        .target(name: "VigilIngest", dependencies: ["VigilCore", "VigilStore", "VigilFormats"]),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilCore", "VigilRegex", "VigilStore", "VigilFormats", "VigilIngest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A writer that a test kills with SIGKILL mid-append (recovery tests).
        .executableTarget(name: "vigil-crash-writer", dependencies: ["VigilCore", "VigilStore"], path: "Tests/Support/CrashWriter"),

        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(name: "VigilStoreTests", dependencies: ["VigilStore", "VigilCore", "VigilRegex"]),
        .testTarget(name: "VigilFormatsTests", dependencies: ["VigilFormats", "VigilCore"]),
        .testTarget(name: "VigilCLITests", dependencies: ["VigilStore", "VigilCore"]),
    ],
    swiftLanguageModes: [.v6]
)
