import Foundation
import HopfieldSimulation
import Testing

/// The getting-started article of the DocC catalog
/// (Sources/HopfieldSimulation/HopfieldSimulation.docc/GettingStarted.md): its code runs, what the
/// article says about the results holds, and the article's code is exactly the code run here.
@Suite("DocC getting-started article")
struct GettingStartedTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let article = repository.appendingPathComponent(
        "Sources/HopfieldSimulation/HopfieldSimulation.docc/GettingStarted.md")
    static let source = URL(fileURLWithPath: #filePath)

    @Test("the article's code runs and its claims hold")
    func articleCode() throws {
        // --- begin GettingStarted.md ---
        let patterns: [[Double]] = [
            [1, -1, 1, -1],
            [1, 1, -1, -1],
            [-1, 1, 1, -1],
        ]
        let network = try Network.modernHopfield(
            memories: patterns.flatMap { $0 }, beta: 4, tauFeatures: 1, tauMemories: 0.1, featureShape: [4])
        let sameNetwork = try Network(
            layers: [
                Layer(name: "visible", size: 4, lagrangian: .identity, tau: 1),
                Layer(name: "memory", size: 3, lagrangian: .softmax(beta: 4), tau: 0.1),
            ],
            synapses: [.dense(pre: "visible", post: "memory", weights: patterns.flatMap { $0 })])
        let problem = SimulationProblem(
            model: network, initialState: ["visible": [1, -1, 1, 1]], endTime: 50, saveCount: 11,
            stopAtSteadyState: true)
        let solution = try solve(
            problem, .bdf(linearSolver: .dense),
            options: SimulationOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10))
        let visible = solution.final["visible"]!          // 4 values: the retrieved pattern
        let memory = solution.final["memory"]!            // 3 values: the memory scores Ξ v
        let saved = solution.trajectory("visible")!       // [saves reached][4]
        print(solution.status, visible, memory, saved.count)
        let report = solution.monitor
        print("monitor: \(report.steps) steps, max increase \(report.maxEnergyIncrease),",
              "violations \(report.violations), max dE/dt \(report.maxRate), passed \(report.passed)")
        let energies = solution.energyTrace.map(\.energy)   // E at t = 0 and after every internal step
        switch solution.statistics {
        case .cvode(let s):
            print("CVODE: \(s.steps) steps, \(s.rhsEvaluations) right-hand sides,",
                  "\(s.jacobianEvaluations) Jacobians, \(s.nonlinearIterations) Newton iterations")
        case .explicit(let s):
            print("Tsit5: \(s.steps) steps, \(s.rhsEvaluations) right-hand sides, \(s.rejectedSteps) rejected")
        }
        let batch = SimulationProblem(
            model: network,
            initialStates: [["visible": [1, -1, 1, 1]], ["visible": [1, 1, -1, 1]]],
            endTime: 50, stopAtSteadyState: true)
        let batchSolution = try solve(batch)
        for b in 0 ..< batchSolution.count {
            print(b, batchSolution[b].status, batchSolution[b].final["visible"]!)
        }
        // --- end GettingStarted.md ---

        // The factory and the general initializer build the same network.
        #expect(network == sameNetwork)

        // "The status is steadyState": stopped before the end time.
        #expect(solution.status == .steadyState)
        #expect(solution.trajectories[0].finalTime < 50)

        // "The features are pattern 0 to about 1e-6, and memory 0 holds the largest score."
        #expect(maxDifference(visible, patterns[0]) < 1e-5)
        #expect(memory.count == 3 && memory[0] > memory[1] + 3 && memory[0] > memory[2] + 3)
        // An independent check of the fixed point v = Ξᵀ softmax(β Ξ v), h = Ξ v (docs/math.md §1.2).
        let scores = patterns.map { p in zip(p, visible).map(*).reduce(0, +) }
        #expect(maxDifference(memory, scores) < 1e-6)
        let top = scores.max()!
        let weights = scores.map { Foundation.exp(4 * ($0 - top)) }
        let total = weights.reduce(0, +)
        let recalled = (0 ..< 4).map { i in (0 ..< 3).reduce(0.0) { $0 + patterns[$1][i] * weights[$1] / total } }
        #expect(maxDifference(visible, recalled) < 1e-6)

        // The saved trajectory ends where the solution ends.
        #expect(saved.count == solution.times.count && saved.count >= 2 && saved.count <= 11)
        #expect(saved.first! == [1, -1, 1, 1])
        #expect(maxDifference(saved.last!, visible) < 1e-4)

        // "It passes with no violation, and the energy falls."
        #expect(report.passed && report.violations == 0)
        #expect(report.maxRate <= 1e-9 * (1 + report.maxAbsoluteRate))
        #expect(energies.count == report.steps + 1)
        #expect(energies.last! < energies.first! - 1)

        // "The monitor watched exactly the steps CVODE took."
        guard case .cvode(let statistics) = solution.statistics else {
            Issue.record("BDF should report CVODE's counters, got \(solution.statistics)")
            return
        }
        #expect(statistics.steps > 0 && report.steps == statistics.steps)
        #expect(statistics.rhsEvaluations >= statistics.steps && statistics.jacobianEvaluations >= 1)

        // "The second query settles on pattern 1."
        #expect(batchSolution.count == 2 && batchSolution.succeeded)
        #expect(maxDifference(batchSolution[0].final["visible"]!, patterns[0]) < 1e-4)
        #expect(maxDifference(batchSolution[1].final["visible"]!, patterns[1]) < 1e-4)
    }

    @Test("the article's code blocks are the code this suite runs")
    func articleMatchesTest() throws {
        let article = try String(contentsOf: Self.article, encoding: .utf8)
        let source = try String(contentsOf: Self.source, encoding: .utf8)
        // Every ```swift block of the article, in order, without its import lines.
        var blocks: [String] = []
        var current: [String]? = nil
        for line in article.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(contentsOf: current!)
                current = nil
            } else if current != nil, !line.hasPrefix("import ") {
                current!.append(String(line))
            }
        }
        #expect(current == nil, "an unterminated code block in GettingStarted.md")
        // The code between the markers above, less its indentation.
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let begin = try #require(lines.firstIndex { $0.hasSuffix("// --- begin GettingStarted.md ---") })
        let end = try #require(lines.firstIndex { $0.hasSuffix("// --- end GettingStarted.md ---") })
        let indent = String(repeating: " ", count: 8)
        let snippet = lines[(begin + 1) ..< end].map { $0.hasPrefix(indent) ? String($0.dropFirst(8)) : $0 }
        #expect(!blocks.isEmpty)
        #expect(blocks == snippet)
    }
}

/// `max_i |a_i − b_i|`, or infinity when the lengths differ.
private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    a.count == b.count ? zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } : .infinity
}
