import Hopfield
import Testing

/// `SplitMemoryNetwork`'s checks on one process (the split evaluations against the whole network run in
/// `SplitNetworkTests` through `split-probe`, alone and under mpirun).
@Suite struct SplitMemoryNetworkTests {
    static let n = 3
    static let features = Layer(name: "visible", size: n, lagrangian: .identity)
    static func memories(_ lagrangian: Lagrangian = .softmax(beta: 2), bias: [Double] = []) -> Layer {
        Layer(name: "memory", size: 4, lagrangian: lagrangian, tau: 0.5, bias: bias)
    }
    static let weights = (0 ..< 12).map { Double($0) / 10 - 0.5 }

    func error(
        memories: Layer = memories(), weights: [Double] = weights, rowOffset: Int = 0
    ) -> NetworkError? {
        do {
            _ = try SplitMemoryNetwork(
                features: Self.features, memories: memories, weights: weights, rowOffset: rowOffset, reduction: nil)
            return nil
        } catch {
            return error
        }
    }

    @Test("one process: the whole layer, local and global layouts coincide")
    func oneProcess() throws {
        let network = try SplitMemoryNetwork(
            features: Self.features, memories: Self.memories(.relu), weights: Self.weights, rowOffset: 0, reduction: nil)
        #expect(network.localRange == 0 ..< 7)
        #expect(network.dimension == 7 && network.localDimension == 7 && network.localMemoryCount == 4)
        #expect(network.variables.map(\.offset) == [0, 3])
        #expect(network.localTimeConstants == [1, 1, 1, 0.5, 0.5, 0.5, 0.5])
        #expect(network.makeEvaluator().dimension == 7)
    }

    @Test("collective memory Lagrangians other than softmax are refused with the reason")
    func collectiveRefused() {
        for lagrangian in [Lagrangian.ghostmax(beta: 1), .layernorm(gamma: 1, delta: [], eps: 0.1),
                           .spherical(gamma: 1, delta: [], eps: 0.1)] {
            let e = error(memories: Self.memories(lagrangian))
            #expect(e?.path == "memories.lagrangian")
            #expect(e?.message.contains("softmax or an elementwise Lagrangian") == true)
        }
        for lagrangian in [Lagrangian.softmax(beta: 1), .relu, .repu(n: 3), .tanh(beta: 2)] {
            #expect(error(memories: Self.memories(lagrangian)) == nil)
        }
    }

    @Test("weights, block and bias are checked, naming the field")
    func badValues() {
        #expect(error(weights: Array(Self.weights.dropLast()))?.path == "weights")
        #expect(error(weights: Array(Self.weights.prefix(6)))?.message.contains("one process must hold all 4") == true)
        #expect(error(rowOffset: 1)?.path == "weights")
        var bad = Self.weights
        bad[5] = .infinity
        #expect(error(weights: bad)?.message.contains("entry 5 is not finite") == true)
        #expect(error(memories: Self.memories(bias: [1, 2]))?.path == "memories.bias")
        #expect(error(memories: Layer(name: "visible", size: 4, lagrangian: .relu))?.path == "memories.name")
    }
}
