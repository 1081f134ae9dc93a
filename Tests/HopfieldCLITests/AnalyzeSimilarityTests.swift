import Foundation
import Testing

/// `hopfield analyze` on a network with a similarity synapse: the Lagrangian-network claims are reported as
/// not applicable (they were computed with the similarity synapse left out of C: mismatch 2, α_max inf).
@Suite("hopfield analyze: similarity synapses")
struct AnalyzeSimilarityTests {
    static let euclidean = """
        {"layers": [{"name": "v", "size": 2, "lagrangian": {"type": "identity"}, "bias": [0.1, -0.2]},
                    {"name": "h", "size": 3, "lagrangian": {"type": "softmax", "beta": 2}, "tau": 0.5}],
         "synapses": [{"type": "euclidean", "pre": "v", "post": "h", "memories": [[0.9, 0.1], [-0.5, 0.7], [0.2, -0.8]]}]}
        """

    @Test("--json: stability from J and ∇²E, lagrangian_claims.applicable false, claim fields null")
    func json() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = dir.appendingPathComponent("euclidean.json")
        try Data(Self.euclidean.utf8).write(to: net)
        let run = try CLI.run(["analyze", net.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try AnalyzeTests.json(run)
        #expect(doc["status"] as? String == "converged")
        #expect(doc["stable"] as? Bool == true)
        #expect(doc["stability"] as? String == "asymptotically_stable")
        #expect(doc["stability_from_energy_hessian"] as? String == "asymptotically_stable")
        #expect(AnalyzeTests.number(doc["jacobian_max_real_eigenvalue"]) < 0)
        #expect(AnalyzeTests.number(doc["energy_hessian_range_min_eigenvalue"]) > 0)
        for key in ["range_spectrum_mismatch", "recovery_error", "dead_neurons", "flat_dimension", "basin_check",
                    "range_coupling_max_eigenvalue"] {
            #expect(doc[key] is NSNull, "\(key) = \(String(describing: doc[key]))")
        }
        let claims = try #require(doc["lagrangian_claims"] as? [String: Any])
        #expect(claims["applicable"] as? Bool == false)
        #expect((claims["reason"] as? String)?.contains("euclidean") == true)
        let lyapunov = try #require(doc["lyapunov"] as? [String: Any])
        #expect(lyapunov["alpha_max"] is NSNull)
    }

    @Test("text: says the claims do not apply, prints no range-spectrum mismatch and no α_max")
    func text() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = dir.appendingPathComponent("euclidean.json")
        try Data(Self.euclidean.utf8).write(to: net)
        let run = try CLI.run(["analyze", net.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("stability: asymptotically_stable"))
        #expect(run.stdout.contains("not applicable"))
        #expect(!run.stdout.contains("range-spectrum mismatch"))
        #expect(!run.stdout.contains("α_max inf"))
        #expect(!run.stdout.contains("claim (i):"))
    }

    @Test("text on a bilinear network names the claims in words")
    func bilinearWording() throws {
        let run = try CLI.run(
            ["analyze", "examples/dead_neurons_relu/relu10.json", "--init", "slow=examples/dead_neurons_relu/slow_init.npy"],
            in: AnalyzeTests.repository)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("fixed point recovered from the activations, x* = b + C g* (claim i)"))
        #expect(run.stdout.contains("stability in the range of H (claim ii)"))
        #expect(run.stdout.contains("flat region in the basin (claim iii)"))
    }
}
