import Hopfield
@testable import HopfieldAnalysis
import TestSupport
import Testing

@Suite("Lyapunov functions without flat regions")
struct LyapunovTests {
    static func plateauTrace() throws -> (Network, LyapunovTrace) {
        let network = try exampleReluNetwork()
        var x0 = [Double](repeating: 0, count: 10)
        for i in 6 ..< 10 { x0[i] = -4 }
        let fixedPoint = try findFixedPoint(network, from: x0)
        return (network, try #require(fixedPoint.trajectory))
    }

    @Test("relu example: E has a plateau on which V_α and ‖r‖ strictly decrease")
    func plateau() throws {
        let (_, trace) = try Self.plateauTrace()
        let plateau = trace.plateauSteps
        #expect(plateau.count >= 3, "plateau steps: \(plateau.count)")
        #expect(trace.plateauStepsStrictlyDecreasing == plateau.count)
        // The longest run of consecutive plateau steps: E stays put for more than one time unit while the
        // residual is O(1) (the slow units still move) and V_α falls.
        var runs: [[Int]] = []
        for k in plateau { if let last = runs.last?.last, last == k - 1 { runs[runs.count - 1].append(k) } else { runs.append([k]) } }
        let run = try #require(runs.max { $0.count < $1.count })
        let first = run[0], end = run[run.count - 1] + 1
        #expect(run.count >= 3)
        #expect(trace.samples[first].residualNorm > 0.1)
        #expect(trace.samples[end].t - trace.samples[first].t > 1)
        #expect(abs(trace.samples[end].energy - trace.samples[first].energy) <= 1e-9)
        #expect(trace.samples[first].lyapunov - trace.samples[end].lyapunov > 0.01)
        #expect(trace.samples[first].residualNorm - trace.samples[end].residualNorm > 0.01)
        // V_α never increases and its analytic rate obeys dV/dt ≤ −(α τ_min/2)‖ẋ‖².
        #expect(trace.maxLyapunovIncrease <= 1e-12)
        #expect(trace.rateBoundViolations == 0)
        #expect(trace.maxLyapunovRate < 0)
    }

    @Test("α_max = 2 / (h_max ‖C‖₂²) with h_max = 1 for relu, ‖C‖₂ = ‖W‖₂")
    func admissibleAlpha() throws {
        let (network, trace) = try Self.plateauTrace()
        guard case .dense(let w) = network.synapses[0].kind else { return }
        // ‖W‖₂² = λ_max(W Wᵀ) by power iteration (independent of LAPACK).
        var v = [Double](repeating: 1, count: 4)
        var lambda = 0.0
        for _ in 0 ..< 500 {
            let wt = (0 ..< 6).map { p in (0 ..< 4).reduce(0.0) { $0 + w[$1 * 6 + p] * v[$1] } }
            let next = (0 ..< 4).map { q in (0 ..< 6).reduce(0.0) { $0 + w[q * 6 + $1] * wt[$1] } }
            lambda = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = next.map { $0 / lambda }
        }
        #expect(abs(trace.couplingNorm * trace.couplingNorm - lambda) <= 1e-10)
        #expect(trace.hessianBound == 1 && trace.alphaIsGlobal)
        #expect(abs(trace.alphaMax - 2 / lambda) <= 1e-9)
        #expect(trace.alpha == trace.alphaMax)
        #expect(trace.minimumTau == 0.2)
    }

    @Test("the analytic dV_α/dt and dE/dt match central differences along ẋ", arguments: 0 ..< 4)
    func ratesMatchFiniteDifferences(seed: UInt64) throws {
        var rng = SplitMix64(seed: 300 + seed)
        let lagrangians: [[Lagrangian]] = [[.relu, .relu], [.tanh(beta: 1), .softmax(beta: 2)], [.identity, .exp(beta: 0.5)], [.sigmoid(beta: 1), .layernorm(gamma: 1, delta: [], eps: 0.1)]]
        let network = try randomNetwork(lagrangians[Int(seed)], sizes: [4, 3], weightScale: 1, rng: &rng)
        let evaluator = NetworkEvaluator(network: network)
        let x = rng.vector(7, -1 ... 1)
        let v = evaluator.vectorField(x)
        let h = 1e-5
        let recorder = LyapunovRecorder(network: network, couplingNorm: 1.3)
        for (k, s) in [-h, 0, h].enumerated() {
            let y = zip(x, v).map { $0 + s * $1 }
            y.withUnsafeBufferPointer { recorder.record(t: Double(k), state: $0) }
        }
        let samples = recorder.trace(alpha: 0.7).samples
        let dV = (samples[2].lyapunov - samples[0].lyapunov) / (2 * h)
        let dE = (samples[2].energy - samples[0].energy) / (2 * h)
        #expect(abs(dV - samples[1].lyapunovRate) <= 1e-6 * max(1, abs(dV)), "\(dV) vs \(samples[1].lyapunovRate)")
        #expect(abs(dE - samples[1].energyRate) <= 1e-6 * max(1, abs(dE)))
        #expect(abs(samples[1].residualNorm - maxNormTwo(evaluator.residual(x))) <= 1e-12)
    }

    @Test("without a global Hessian bound (exp), α is admissible along the trajectory only")
    func localBound() throws {
        let network = try Network(
            layers: [
                Layer(name: "v", size: 2, lagrangian: .identity, bias: [0.1, -0.2]),
                Layer(name: "h", size: 2, lagrangian: .exp(beta: 1), tau: 0.5),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: [0.3, -0.2, 0.1, 0.2])])
        let fixedPoint = try findFixedPoint(network, from: [0, 0, 0, 0])
        let trace = try #require(fixedPoint.trajectory)
        #expect(!trace.alphaIsGlobal)
        // h_max ≥ max βe^{βh} seen along the trajectory, which includes e^0 = 1 at the start.
        #expect(trace.hessianBound >= 1)
        #expect(trace.rateBoundViolations == 0)
        #expect(trace.maxLyapunovIncrease <= 1e-12)
    }
}

func maxNormTwo(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
