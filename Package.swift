// swift-tools-version: 6.1
// Hopfield: continuous-time associative-memory networks integrated by SUNDIALS CVODE.
import PackageDescription

let package = Package(
    name: "Hopfield",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Hopfield", targets: ["Hopfield"]),
        .library(name: "HopfieldSimulation", targets: ["HopfieldSimulation"]),
        .library(name: "HopfieldAnalysis", targets: ["HopfieldAnalysis"]),
        .library(name: "Retrieval", targets: ["Retrieval"]),
        .library(name: "Sundials", targets: ["Sundials"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .executable(name: "hopfield", targets: ["HopfieldCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: C libraries (Debian packages), each behind exactly one Swift target
        .systemLibrary(
            name: "CSundials",
            providers: [.apt(["libsundials-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),

        // MARK: Safe Swift wrappers over the C libraries
        .target(name: "Sundials", dependencies: ["CSundials", "LinearAlgebra"]),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),

        // MARK: Public API
        .target(name: "Hopfield", dependencies: ["LinearAlgebra"]),
        .target(name: "HopfieldSimulation", dependencies: ["Hopfield", "Sundials", "LinearAlgebra"]),
        .target(name: "HopfieldAnalysis", dependencies: ["HopfieldSimulation", "Hopfield", "Sundials", "LinearAlgebra"]),
        .target(name: "Retrieval", dependencies: ["Hopfield", "HopfieldSimulation", "LinearAlgebra"]),
        .target(name: "Plotting"),
        .executableTarget(
            name: "HopfieldCLI",
            dependencies: [
                "Hopfield", "HopfieldSimulation", "HopfieldAnalysis", "Retrieval", "Plotting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Examples (runnable, self-checking)
        .executableTarget(
            name: "example-krotov-hopfield-softmax",
            dependencies: ["Hopfield", "HopfieldSimulation"],
            path: "examples/krotov_hopfield_softmax",
            exclude: ["README.md", "expected_output.txt"]
        ),

        // MARK: Tests
        .testTarget(name: "SundialsTests", dependencies: ["Sundials"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "HopfieldTests", dependencies: ["Hopfield", "LinearAlgebra"]),
        .testTarget(name: "HopfieldSimulationTests", dependencies: ["HopfieldSimulation", "Hopfield", "Sundials"]),
        .testTarget(name: "HopfieldAnalysisTests", dependencies: ["HopfieldAnalysis", "HopfieldSimulation", "Hopfield"]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "Hopfield"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "HopfieldCLITests", dependencies: ["HopfieldCLI", "Hopfield"]),
    ],
    swiftLanguageModes: [.v6]
)
