// swift-tools-version: 6.1
// The ordo-one benchmark suites of Hopfield, in a package of their own so that the main package's
// `swift build` and `swift test` never build the benchmark dependency.
// Run: cd Benchmarks && swift package benchmark   (see docs/performance.md)
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder (this checkout's folder, whatever it is called).
let hopfield = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "HopfieldBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HopfieldBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Hopfield", package: hopfield),
                .product(name: "Datasets", package: hopfield),
                .product(name: "HopfieldSimulation", package: hopfield),
                .product(name: "LinearAlgebra", package: hopfield),
            ],
            path: "HopfieldBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
