import Foundation
import TestSupport
import LinearAlgebra
import Testing

/// The same results with generic and with the best OpenBLAS kernels (the start-up rule itself is tested in
/// HopfieldSimulationTests).
@Suite("OpenBLAS kernels: same results")
struct BLASCoreAgreementTests {
    /// `hopfield simulate` under `OPENBLAS_CORETYPE=Prescott` and under the best core for this CPU: the
    /// kernels sum in different orders, so results may differ by rounding only — final states within 1e-10
    /// of their largest entry, energies within 1e-10 relative, same statuses.
    @Test("simulate agrees with generic and with the best kernels", arguments: ["bdf", "tsit5"])
    func agreement(method: String) throws {
        let best = BLASCoreSelection.current.best ?? "Prescott"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = root.appendingPathComponent("examples/dense_associative_memory")
        let arguments = [
            "simulate", example.appendingPathComponent("network.json").path,
            "--init", "visible=" + example.appendingPathComponent("queries.npy").path,
            "--t-end", "2", "--method", method, "--json",
        ]
        var documents: [[String: Any]] = []
        for core in ["Prescott", best] {
            let run = try Self.run(arguments, environment: ["OPENBLAS_CORETYPE": core])
            #expect(run.status == 0, "\(core): \(run.stderr)")
            #expect(!run.stderr.contains("warning"), "\(core): \(run.stderr)")
            documents.append(try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]))
        }
        let (a, b) = (documents[0], documents[1])
        #expect(a["status"] as? [String] == b["status"] as? [String])
        for key in ["t_final", "energy_initial", "energy_final"] {
            let x = try #require(a[key] as? [Double]), y = try #require(b[key] as? [Double])
            #expect(x.count == y.count)
            for (u, v) in zip(x, y) { #expect(abs(u - v) <= 1e-10 * max(abs(u), abs(v)), "\(key): \(u) vs \(v)") }
        }
        let sa = try #require(a["final_state"] as? [String: [[Double]]]), sb = try #require(b["final_state"] as? [String: [[Double]]])
        #expect(Set(sa.keys) == Set(sb.keys) && !sa.isEmpty)
        for (name, statesA) in sa {
            let statesB = try #require(sb[name])
            #expect(statesA.count == statesB.count)
            for (x, y) in zip(statesA, statesB) {
                let scale = x.map(abs).max() ?? 0
                let worst = zip(x, y).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst <= 1e-10 * scale, "\(name): largest difference \(worst) at scale \(scale)")
            }
        }
    }

    /// Runs the built binary with extra environment variables (stdout and stderr captured).
    static func run(_ arguments: [String], environment: [String: String]) throws -> CLIRun {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try runCapturing(process)
    }
}
