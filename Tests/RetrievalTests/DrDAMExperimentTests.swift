import Foundation
import Hopfield
import Retrieval
import Testing

@Suite("DrDAMExperiment: random-feature errors against the exact memory")
struct DrDAMExperimentTests {
    @Test("the data follow the protocol: binary {0, 1/√D}, near points differ in round(0.1 D) bits")
    func data() {
        let experiment = DrDAMExperiment(dimension: 20, memoryCount: 3, beta: 5, features: [10], points: 7, seed: 4)
        let (memories, points) = experiment.data()
        let one = 1 / 20.0.squareRoot()
        #expect(memories.count == 60 && memories.allSatisfy { $0 == 0 || $0 == one })
        #expect(Set(memories).count == 2)
        for p in 0 ..< 7 {
            let memory = Array(memories[(p % 3) * 20 ..< (p % 3 + 1) * 20])
            #expect(Array(points[.memories]![p * 20 ..< (p + 1) * 20]) == memory)
            let near = Array(points[.near]![p * 20 ..< (p + 1) * 20])
            #expect(zip(near, memory).filter { $0 != $1 }.count == 2)
            #expect(points[.random]![p * 20 ..< (p + 1) * 20].allSatisfy { $0 == 0 || $0 == one })
        }
    }

    @Test("errors fall like Y^−½ and are smallest at the memories")
    func slopes() throws {
        let result = try DrDAMExperiment(
            dimension: 12, memoryCount: 6, beta: 4, features: [250, 1000, 4000, 16000], points: 24, seed: 2, trials: 2
        ).run()
        let energy = result.slopes(of: result.energyError), gradient = result.slopes(of: result.gradientError)
        for kind in [DrDAMPointKind.memories, .near] {
            #expect(abs(energy[kind]! + 0.5) < 0.15, "energy slope \(kind): \(energy[kind]!)")
            #expect(abs(gradient[kind]! + 0.5) < 0.15, "gradient slope \(kind): \(gradient[kind]!)")
        }
        for k in result.features.indices {
            #expect(result.energyError[.memories]![k] < result.energyError[.random]![k])
        }
    }

    @Test("retrieval disagreement: the fraction of bits where the two descents' binarised ends differ")
    func disagreement() throws {
        let experiment = DrDAMExperiment(dimension: 10, memoryCount: 4, beta: 3, features: [50, 100], points: 6, seed: 9)
        // Identity "descents": both models end where they start, so nothing differs.
        let same = try experiment.run(descend: { _, states in states })
        #expect(same.disagreement == [0, 0])
        // The exact model keeps its states, the random-feature model ends at 0: every 1-bit differs.
        let ones = Double(experiment.data().points[.near]!.filter { $0 > 0 }.count) / 60
        let differ = try experiment.run(descend: { model, states in
            if case .lse = model.terms[0] { return states }
            return states.map { $0.map { _ in 0 } }
        })
        #expect(differ.disagreement.count == 2 && differ.disagreement.allSatisfy { abs($0 - ones) < 1e-15 })
        #expect(ones > 0.2 && ones < 0.8)
    }

    @Test("the slope of an exact power law is its exponent")
    func fittedSlope() {
        let x = [1.0, 10, 100, 1000]
        #expect(abs(DrDAMResult.slope(x: x, y: x.map { 3 * pow($0, -0.5) }) + 0.5) < 1e-12)
        #expect(DrDAMResult.slope(x: [1], y: [1]).isNaN)
    }

    @Test("bad parameters name the field")
    func errors() {
        #expect(throws: NetworkError(path: "beta", message: "must be > 0, got 0.0")) {
            try DrDAMExperiment(dimension: 3, memoryCount: 2, beta: 0, features: [10], points: 1, seed: 0).run()
        }
        #expect(throws: NetworkError.self) {
            try DrDAMExperiment(dimension: 3, memoryCount: 2, beta: 1, features: [0], points: 1, seed: 0).run()
        }
    }
}
