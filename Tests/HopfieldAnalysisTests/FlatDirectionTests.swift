import Hopfield
import HopfieldAnalysis
import TestSupport
import Testing

@Suite("Dead units and flat directions")
struct FlatDirectionTests {
    @Test("softmax: one collective direction 1/√D, E invariant along it, the state still moves")
    func softmaxDirection() throws {
        var rng = SplitMix64(seed: 7)
        let network = try randomNetwork([.identity, .softmax(beta: 1.5)], sizes: [3, 4], weightScale: 0.8, rng: &rng)
        let x = rng.vector(7, -1 ... 1)
        let flat = try FlatDirections(network: network, at: x)
        #expect(flat.deadCount == 0)
        #expect(flat.dimension == 1)
        #expect(flat.hessianRank == 6)
        let direction = try #require(flat.collectiveDirections.first)
        #expect(direction.layer == 1 && direction.lagrangian == "softmax")
        #expect(maxAbsDifference(direction.direction, [0.5, 0.5, 0.5, 0.5]) <= 1e-15)
        let evaluator = NetworkEvaluator(network: network)
        var shifted = x
        for i in 3 ..< 7 { shifted[i] += 0.7 }
        #expect(abs(evaluator.energy(shifted) - evaluator.energy(x)) <= 1e-12)
        #expect(maxAbsDifference(evaluator.vectorField(shifted), evaluator.vectorField(x)) > 0.1)
    }

    @Test("spherical with ε = 0: the collective direction is x/‖x‖")
    func sphericalDirection() throws {
        let network = try Network(
            layers: [Layer(name: "s", size: 3, lagrangian: .spherical(gamma: 1, delta: [], eps: 0))], synapses: [])
        let flat = try FlatDirections(network: network, at: [3, 0, 4])
        #expect(flat.dimension == 1)
        #expect(maxAbsDifference(flat.collectiveDirections[0].direction, [0.6, 0, 0.8]) <= 1e-15)
    }

    @Test("dead units: relu, repu and rexp units with x ≤ 0")
    func deadUnits() throws {
        let network = try Network(
            layers: [
                Layer(name: "a", size: 3, lagrangian: .relu),
                Layer(name: "b", size: 3, lagrangian: .repu(n: 3)),
                Layer(name: "c", size: 2, lagrangian: .rexp(beta: 1)),
                Layer(name: "d", size: 2, lagrangian: .tanh(beta: 1)),
            ], synapses: [])
        let flat = try FlatDirections(network: network, at: [-1, 0.5, 0, 0.2, -0.3, 1, -2, 2, -5, 5])
        #expect(flat.deadUnits == [[0, 2], [1], [0], []])
        #expect(flat.dimension == 4)
        #expect(flat.numericalDirections == 0)
        #expect(flat.basis.column(0) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(flat.basis.column(3)[6] == 1)
    }

    @Test("the basis spans ker H: orthonormal, H u = 0, dimension = number of zero eigenvalues of H",
          arguments: 0 ..< 8)
    func basisIsKernel(seed: UInt64) throws {
        var rng = SplitMix64(seed: 100 + seed)
        let kinds: [[Lagrangian]] = [
            [.relu, .softmax(beta: 2), .relu], [.relu, .relu], [.identity, .layernorm(gamma: 1, delta: [], eps: 0)],
            [.repu(n: 3), .tanh(beta: 1), .softmax(beta: 0.5)],
        ]
        let lagrangians = kinds[Int(seed) % kinds.count]
        let sizes = lagrangians.map { _ in Int.random(in: 2 ... 5, using: &rng) }
        let network = try randomNetwork(lagrangians, sizes: sizes, weightScale: 1, rng: &rng)
        let n = network.dimension
        let x = rng.vector(n, -1 ... 1)
        let flat = try FlatDirections(network: network, at: x)
        let h = try Matrix(rows: n, columns: n, elements: NetworkEvaluator(network: network).lagrangianHessian(at: x))
        let zeroEigenvalues = try h.symmetricEigenvalues().filter { abs($0) <= 1e-12 }.count
        #expect(flat.dimension == zeroEigenvalues)
        #expect(flat.dimension + flat.hessianRank == n)
        let hu = try h.multiplied(by: flat.basis)
        #expect(maxAbs(hu.elements) <= 1e-12)
        let gram = try flat.basis.multiplied(by: flat.basis, transposeSelf: true)
        #expect(maxAbsDifference(gram.elements, Matrix.identity(flat.dimension).elements) <= 1e-12)
        #expect(flat.numericalDirections == 0)
    }
}
