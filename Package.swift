// swift-tools-version: 6.1
// Hopfield: continuous-time associative-memory networks integrated by SUNDIALS CVODE.
import PackageDescription

let package = Package(
    name: "Hopfield",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Hopfield", targets: ["Hopfield"]),
        .library(name: "HopfieldIO", targets: ["HopfieldIO"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "HopfieldSimulation", targets: ["HopfieldSimulation"]),
        .library(name: "HopfieldAnalysis", targets: ["HopfieldAnalysis"]),
        .library(name: "Retrieval", targets: ["Retrieval"]),
        .library(name: "HopfieldBench", targets: ["HopfieldBench"]),
        .library(name: "Sundials", targets: ["Sundials"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "Distributed", targets: ["Distributed"]),
        .executable(name: "hopfield", targets: ["HopfieldCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: C libraries (Debian packages), each behind exactly one Swift target
        .systemLibrary(
            name: "CSundials",
            pkgConfig: "ompi-c",  // nvector_parallel.h includes <mpi.h> (docs/architecture.md, note 1)
            providers: [.apt(["libsundials-dev", "libopenmpi-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CMPI",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
        ),

        // MARK: Safe Swift wrappers over the C libraries
        .target(name: "Sundials", dependencies: ["CSundials", "LinearAlgebra"]),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        .target(name: "Distributed", dependencies: ["CMPI"]),

        // MARK: The models (no files, no data sets)
        .target(name: "Hopfield", dependencies: ["LinearAlgebra"]),

        // MARK: Files and data
        .target(name: "HopfieldIO", dependencies: ["Hopfield"]),
        .target(name: "Datasets", dependencies: ["Hopfield", "CZlib"]),

        // MARK: Integration, analysis and experiments
        .target(name: "HopfieldSimulation", dependencies: ["Hopfield", "Sundials", "LinearAlgebra", "Distributed"]),
        .target(name: "HopfieldAnalysis", dependencies: ["HopfieldSimulation", "Hopfield", "Sundials", "LinearAlgebra", "Distributed"]),
        .target(name: "Retrieval", dependencies: ["Datasets", "Hopfield", "HopfieldSimulation", "LinearAlgebra", "Distributed"]),
        .target(name: "HopfieldBench", dependencies: ["Hopfield", "HopfieldIO", "Datasets", "HopfieldSimulation", "LinearAlgebra"]),

        // MARK: Output
        .target(name: "Plotting"),

        // MARK: The command line (parses, calls the libraries, prints)
        .executableTarget(
            name: "HopfieldCLI",
            dependencies: [
                "Hopfield", "HopfieldIO", "Datasets", "HopfieldSimulation", "HopfieldAnalysis", "Retrieval", "HopfieldBench",
                "Plotting", "Distributed",
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
        .executableTarget(
            name: "example-drdam-fashion-mnist",
            dependencies: ["Hopfield", "HopfieldSimulation", "Datasets", "Plotting"],
            path: "examples/drdam_fashion_mnist",
            exclude: ["README.md"]
        ),

        // MARK: Test support (used only by the test targets)
        .target(name: "TestSupport", dependencies: ["Hopfield"], path: "Tests/TestSupport"),

        // MARK: Tests
        .testTarget(name: "SundialsTests", dependencies: ["Sundials"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "HopfieldTests", dependencies: ["Hopfield", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "HopfieldIOTests", dependencies: ["HopfieldIO", "Hopfield", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Hopfield", "TestSupport"]),
        .testTarget(name: "HopfieldSimulationTests", dependencies: ["HopfieldSimulation", "Hopfield", "Sundials", "Distributed", "TestSupport"]),
        .testTarget(name: "HopfieldAnalysisTests", dependencies: ["HopfieldAnalysis", "HopfieldSimulation", "Hopfield", "TestSupport", "Distributed"]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "Datasets", "Hopfield", "TestSupport"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "TestSupport"]),
        .testTarget(name: "HopfieldCLITests", dependencies: ["HopfieldCLI", "Hopfield", "HopfieldIO", "Datasets", "TestSupport"]),
        .executableTarget(name: "distributed-probe", dependencies: ["Distributed"], path: "Tests/DistributedProbe"),
        .testTarget(name: "DistributedTests", dependencies: ["Distributed", "distributed-probe", "TestSupport"]),
        .executableTarget(
            name: "split-probe", dependencies: ["Hopfield", "HopfieldSimulation", "Distributed", "TestSupport"],
            path: "Tests/SplitProbe"),
        .testTarget(name: "SplitNetworkTests", dependencies: ["split-probe", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
