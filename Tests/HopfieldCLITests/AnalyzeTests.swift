import Foundation
import Hopfield
import HopfieldIO
import Testing

/// `hopfield analyze` run as a process on networks whose fixed points are known in closed form, and on the
/// example examples/dead_neurons_relu.
@Suite("hopfield analyze")
struct AnalyzeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let example = repository.appendingPathComponent("examples/dead_neurons_relu")

    /// Two relu units that inhibit each other (C = [[0, −2], [−2, 0]], b = (1, 1)): stable fixed points
    /// (1, −1) and (−1, 1), and the saddle (1/3, 1/3) where both are live (λ(C_LL) = ±2).
    static let winnerTakeAll = """
        {"layers": [{"name": "x", "size": 2, "lagrangian": {"type": "relu"}, "bias": [1, 1]}],
         "synapses": [{"type": "dense", "pre": "x", "post": "x", "weights": [[0, -2], [0, 0]]}]}
        """

    static func json(_ run: CLIRun) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try #require(object as? [String: Any], "stdout: \(run.stdout.prefix(300)) stderr: \(run.stderr)")
    }

    static func number(_ any: Any?) -> Double { (any as? NSNumber)?.doubleValue ?? .nan }

    /// Solves `(I − C D) x = b` for the example's active set by Gaussian elimination (no pivoting needed:
    /// the matrix is close to I).
    static func exampleClosedForm() -> [Double] {
        let b = [1.0, 0.5, -0.5, 0.8, -1.0, 0.3, -0.2, 0.4, -1.0, -0.1]
        let w: [[Double]] = [
            [0.4, 0.3, 0.2, -0.2, 0.1, 0.0], [-0.3, 0.2, 0.1, 0.3, -0.2, 0.4],
            [0.1, -0.4, 0.3, 0.0, 0.2, -0.3], [0.2, 0.1, -0.3, 0.4, 0.0, 0.2],
        ]
        let dead: Set<Int> = [2, 4, 8]
        var a = [[Double]](repeating: [Double](repeating: 0, count: 10), count: 10)
        for i in 0 ..< 10 { a[i][i] = 1 }
        for q in 0 ..< 4 {
            for p in 0 ..< 6 {
                if !dead.contains(p) { a[6 + q][p] -= w[q][p] }
                if !dead.contains(6 + q) { a[p][6 + q] -= w[q][p] }
            }
        }
        var x = b
        for col in 0 ..< 10 {
            for row in col + 1 ..< 10 {
                let f = a[row][col] / a[col][col]
                for j in col ..< 10 { a[row][j] -= f * a[col][j] }
                x[row] -= f * x[col]
            }
        }
        for row in stride(from: 9, through: 0, by: -1) {
            for j in row + 1 ..< 10 { x[row] -= a[row][j] * x[j] }
            x[row] /= a[row][row]
        }
        return x
    }

    @Test("the example's documented command: dead set, flat dimension, stability, claims (i)–(iii), plateau")
    func exampleRelu10() throws {
        let run = try CLI.run(
            ["analyze", "examples/dead_neurons_relu/relu10.json", "--init", "slow=examples/dead_neurons_relu/slow_init.npy", "--json"],
            in: Self.repository)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try Self.json(run)
        #expect(doc["status"] as? String == "converged")
        let fixedPoint = try #require(doc["fixed_point"] as? [String: [Double]])
        let x = (fixedPoint["fast"] ?? []) + (fixedPoint["slow"] ?? [])
        let exact = Self.exampleClosedForm()
        #expect(zip(x, exact).allSatisfy { abs($0 - $1) <= 1e-10 })
        #expect([2, 4, 8].allSatisfy { exact[$0] < 0 } && [0, 1, 3, 5, 6, 7, 9].allSatisfy { exact[$0] > 0 })
        #expect(Self.number(doc["residual"]) <= 1e-10)
        #expect(doc["dead_neurons"] as? [String: [Int]] == ["fast": [2, 4], "slow": [2]])
        #expect(doc["flat_dimension"] as? Int == 3)
        #expect(doc["hessian_rank"] as? Int == 7)
        #expect(doc["stable"] as? Bool == true)
        #expect(Self.number(doc["range_spectrum_mismatch"]) <= 1e-8)
        #expect(Self.number(doc["jacobian_max_real_eigenvalue"]) < 0)
        #expect(Self.number(doc["energy_hessian_range_min_eigenvalue"]) > 0)
        #expect(Self.number(doc["recovery_error"]) <= 1e-6)
        #expect(doc["dead_inputs_negative"] as? Bool == true)
        let basin = try #require(doc["basin_check"] as? [String: Any])
        #expect(basin["samples"] as? Int == 8)
        #expect(basin["converged"] as? Int == 8)
        #expect(abs(Self.number(basin["decay_rate"]) - 5) <= 5e-3)
        #expect(Self.number(basin["expected_rate"]) == 5)
        let lyapunov = try #require(doc["lyapunov"] as? [String: Any])
        let plateau = try #require(lyapunov["plateau_steps"] as? Int)
        #expect(plateau >= 3)
        #expect(lyapunov["plateau_steps_strictly_decreasing"] as? Int == plateau)
        #expect(Self.number(lyapunov["max_V_increase"]) <= 1e-12)
        #expect(lyapunov["rate_bound_violations"] as? Int == 0)
    }

    @Test("the Krotov–Hopfield example with relu memories storing Fashion-MNIST images")
    func exampleKrotovHopfield() throws {
        let run = try CLI.run(["analyze", "krotov_hopfield_relu.json", "--json", "--samples", "4"], in: Self.example)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try Self.json(run)
        #expect(doc["status"] as? String == "converged")
        let fixedPoint = try #require(doc["fixed_point"] as? [String: [Double]])
        let v = try #require(fixedPoint["features"]), h = try #require(fixedPoint["memories"])
        // At the fixed point h = Ξ v − 0.02 (the memories' bias); the dead memories are those with h < 0.
        let memories = try NPY.read(contentsOf: Self.example.appendingPathComponent("memories.npy"))
        #expect(memories.shape == [12, 196])
        let input = (0 ..< 12).map { mu in (0 ..< 196).reduce(-0.02) { $0 + memories.values[mu * 196 + $1] * v[$1] } }
        #expect(zip(input, h).allSatisfy { abs($0 - $1) <= 1e-10 })
        let dead = (0 ..< 12).filter { input[$0] < 0 }
        let reported = try #require(doc["dead_neurons"] as? [String: [Int]])
        #expect(reported["memories"] == dead)
        #expect(reported["features"] == [])
        #expect(!dead.isEmpty && dead.count < 12)
        #expect(doc["flat_dimension"] as? Int == dead.count)
        #expect(doc["hessian_rank"] as? Int == 208 - dead.count)
        #expect(doc["stable"] as? Bool == true)
        #expect(Self.number(doc["range_spectrum_mismatch"]) <= 1e-8)
        // ‖Ξ‖₂ = 0.9 < 1, so λ_max(H_R^½ C_RR H_R^½) ≤ 0.9.
        #expect(Self.number(doc["range_coupling_max_eigenvalue"]) <= 0.9 + 1e-12)
        let basin = try #require(doc["basin_check"] as? [String: Any])
        #expect(basin["converged"] as? Int == 4)
        #expect(abs(Self.number(basin["decay_rate"]) - 10) <= 1e-2)
    }

    @Test("--out writes the report, the spectra and the figures")
    func outputFolder() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("analysis")
        let run = try CLI.run(
            ["analyze", "relu10.json", "--init", "slow=slow_init.npy", "--samples", "2", "--out", out.path], in: Self.example)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("dead units: fast [2, 4], slow [2]"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(report?["flat_dimension"] as? Int == 3)
        let spectrum = try NPY.read(contentsOf: out.appendingPathComponent("jacobian_eigenvalues.npy"))
        #expect(spectrum.shape == [10, 2])
        #expect(spectrum.values.enumerated().filter { $0.offset % 2 == 0 }.allSatisfy { $0.element < 0 })
        let basis = try NPY.read(contentsOf: out.appendingPathComponent("flat_basis.npy"))
        #expect(basis.shape == [10, 3])
        let kernel = try NPY.read(contentsOf: out.appendingPathComponent("kernel_eigenvalues.npy"))
        #expect(kernel.values.sorted() == [-5, -5, -0.25])
        for name in ["jacobian_spectrum.svg", "lyapunov.svg"] {
            let svg = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            #expect(svg.contains("<svg") && svg.contains("</svg>"))
        }
        let csv = try String(contentsOf: out.appendingPathComponent("trajectory.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("t,energy,V_alpha,residual_norm,dEdt,dVdt\n"))
        #expect(csv.split(separator: "\n").count > 100)
    }

    @Test("a saddle polished with --no-integrate is reported unstable, without a basin check")
    func saddle() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.winnerTakeAll.utf8).write(to: dir.appendingPathComponent("wta.json"))
        try NPY.write(NPYArray([0.3, 0.4]), to: dir.appendingPathComponent("x.npy"))
        let run = try CLI.run(["analyze", "wta.json", "--init", "x=x.npy", "--no-integrate", "--json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try Self.json(run)
        let x = try #require((doc["fixed_point"] as? [String: [Double]])?["x"])
        #expect(abs(x[0] - 1.0 / 3) <= 1e-12 && abs(x[1] - 1.0 / 3) <= 1e-12)
        #expect(doc["stable"] as? Bool == false)
        #expect(doc["stability"] as? String == "unstable")
        #expect(abs(Self.number(doc["jacobian_max_real_eigenvalue"]) - 1) <= 1e-12)
        #expect(abs(Self.number(doc["energy_hessian_range_min_eigenvalue"]) - -1) <= 1e-12)
        #expect(doc["flat_dimension"] as? Int == 0)
        #expect(doc["basin_check"] is NSNull)
        #expect(doc["integration"] is NSNull)
    }

    @Test("a batch reports every state and the two distinct stable fixed points of winner-take-all")
    func batchDistinctFixedPoints() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.winnerTakeAll.utf8).write(to: dir.appendingPathComponent("wta.json"))
        try NPY.write(NPYArray(shape: [3, 2], values: [1, 0, 0, 1, 0.9, 0.1]), to: dir.appendingPathComponent("x.npy"))
        let run = try CLI.run(["analyze", "wta.json", "--init", "x=x.npy", "--json", "--samples", "2"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try Self.json(run)
        #expect(doc["batch"] as? Int == 3)
        let reports = try #require(doc["reports"] as? [[String: Any]])
        #expect(reports.count == 3)
        #expect(reports.allSatisfy { $0["stable"] as? Bool == true && $0["flat_dimension"] as? Int == 1 })
        let distinct = try #require(doc["distinct_fixed_points"] as? [[String: Any]])
        #expect(distinct.count == 2)
        #expect(distinct.map { $0["members"] as? [Int] ?? [] } == [[0, 2], [1]])
        let first = try #require((distinct[0]["fixed_point"] as? [String: [Double]])?["x"])
        #expect(abs(first[0] - 1) <= 1e-10 && abs(first[1] - -1) <= 1e-10)
        #expect(reports[0]["dead_neurons"] as? [String: [Int]] == ["x": [1]])
        #expect(reports[1]["dead_neurons"] as? [String: [Int]] == ["x": [0]])
    }

    @Test("no fixed point: exit status 1, and the JSON still says why")
    func noFixedPoint() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = """
            {"layers": [{"name": "x", "size": 1, "lagrangian": {"type": "identity"}, "bias": 0.3}],
             "synapses": [{"type": "dense", "pre": "x", "post": "x", "weights": [[0.5]]}]}
            """
        try Data(net.utf8).write(to: dir.appendingPathComponent("net.json"))
        let run = try CLI.run(["analyze", "net.json", "--json", "--t-end", "5"], in: dir)
        #expect(run.status == 1)
        let doc = try Self.json(run)
        #expect((doc["status"] as? String)?.hasPrefix("newton_failed") == true)
        #expect(doc["stable"] is NSNull)
        #expect(run.stderr.contains("no fixed point found"))
    }

    @Test("bad input: exit status 2 with one line on stderr", arguments: [
        ["analyze", "missing.json"],
        ["analyze", "relu10.json", "--init", "nolayer=slow_init.npy"],
        ["analyze", "relu10.json", "--samples", "-1"],
        ["analyze", "relu10.json", "--rtol", "2"],
        ["analyze", "relu10.json", "--tolerance", "0"],
    ])
    func badInput(arguments: [String]) throws {
        let run = try CLI.run(arguments, in: Self.example)
        #expect(run.status == 2, "\(run.stdout) \(run.stderr)")
        #expect(!run.stderr.isEmpty)
    }

    @Test("simulate --dynamics residual: V = ‖r‖² is monitored and reaches the same fixed point")
    func simulateResidualDynamics() throws {
        let run = try CLI.run(
            ["simulate", "relu10.json", "--init", "slow=slow_init.npy", "--dynamics", "residual", "--t-end", "200",
             "--until-steady", "--rtol", "1e-9", "--atol", "1e-11", "--json"], in: Self.example)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try Self.json(run)
        #expect(doc["status"] as? String == "steady_state")
        let monitor = try #require(doc["monitor"] as? [String: Any])
        #expect(monitor["passed"] as? Bool == true)
        #expect(monitor["violations"] as? Int == 0)
        let state = try #require(doc["final_state"] as? [String: [Double]])
        let x = (state["fast"] ?? []) + (state["slow"] ?? [])
        #expect(zip(x, Self.exampleClosedForm()).allSatisfy { abs($0 - $1) <= 1e-6 })
        // The default dynamics keeps its JSON keys (and has the self-describing ones, docs/cli.md "--json",
        // and the automatic method's record).
        let gradient = try CLI.run(["simulate", "relu10.json", "--json", "--t-end", "1"], in: Self.example)
        let keys = try Self.json(gradient).keys.sorted()
        #expect(keys == [
            "energy_final", "energy_initial", "final_activations", "final_state", "handoff_time", "layers", "monitor",
            "nearest_pattern", "polished", "segments", "stats", "status", "t_final",
        ])
    }
}
