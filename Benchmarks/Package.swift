// swift-tools-version:6.1
import Foundation
import PackageDescription

// Micro-benchmarks of Strongroom's hot path (ordo-one/benchmark). A package of its own, so
// that CI's single build of the product never builds the benchmark framework. Run from this
// directory:  swift package benchmark   (docs/PERFORMANCE.md has the figures).

// A path dependency is named after its directory, whatever the checkout is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootPackage = root.lastPathComponent.lowercased()

let package = Package(
    name: "StrongroomBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "HotPath",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "StrongroomCore", package: rootPackage),
            ],
            path: "Benchmarks/HotPath",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
