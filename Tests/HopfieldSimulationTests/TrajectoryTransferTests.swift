import Distributed
import Foundation
import Hopfield
@testable import HopfieldSimulation
import Sundials
import Testing

/// The exact byte form in which the trajectories of a batch split over processes reach rank 0
/// (docs/distributed.md): every field comes back bit for bit.
@Suite("TrajectorySolution transfer")
struct TrajectoryTransferTests {
    static func roundTrip(_ t: TrajectorySolution) throws -> TrajectorySolution {
        var w = TransferWriter()
        t.encode(into: &w)
        var r = TransferReader(w.bytes)
        let back = try TrajectorySolution.decode(from: &r, variables: t.variables, dimension: t.dimension, saveTimes: t.saveTimes)
        #expect(r.isAtEnd)
        return back
    }

    static func expectSame(_ a: TrajectorySolution, _ b: TrajectorySolution) {
        #expect(a.status == b.status)
        #expect(a.times.map(\.bitPattern) == b.times.map(\.bitPattern))
        #expect(a.states.map(\.bitPattern) == b.states.map(\.bitPattern))
        #expect(a.finalTime.bitPattern == b.finalTime.bitPattern)
        #expect(a.finalState.map(\.bitPattern) == b.finalState.map(\.bitPattern))
        #expect(a.energyTrace == b.energyTrace && a.lyapunovTrace == b.lyapunovTrace)
        #expect(a.monitor == b.monitor)
        #expect(a.statistics == b.statistics)
        #expect(a.dynamics == b.dynamics)
    }

    @Test("solved trajectories (CVODE and Tsit5) come back exactly", arguments: [SimulationMethod.bdf, .tsit5])
    func solved(method: SimulationMethod) throws {
        var rng = SplitMix64(seed: 5)
        let network = try SolveTests.clampedNetwork(clamped: 1, rng: &rng)
        let starts: [[String: [Double]]] = (0 ..< 2).map { _ in ["visible": rng.vector(10), "memory": rng.vector(6)] }
        let solution = try solve(
            SimulationProblem(model: network, initialStates: starts, endTime: 2, saveCount: 5),
            SimulationAlgorithm(method: method), options: SimulationOptions(threads: 1, batchStrategy: .independent))
        for t in solution.trajectories { Self.expectSame(t, try Self.roundTrip(t)) }
    }

    @Test("statuses with payloads, NaN rows and a missing first violation survive")
    func edgeCases() throws {
        let variables = [ModelVariable(name: "x", shape: [2], offset: 0)]
        var monitor = EnergyMonitorReport()
        monitor.firstViolationTime = 0.25
        for status in [SolverStatus.callbackError("rhs: bad µ"), .other(code: -16), .steadyState, .tooMuchWork] {
            let t = TrajectorySolution(
                variables: variables, dimension: 2, saveTimes: [0, 1], status: status, times: [0], states: [1, .nan],
                finalTime: 0.5, finalState: [.infinity, -0.0], energyTrace: [EnergySample(t: 0, energy: -1, rate: .nan)],
                lyapunovTrace: [], monitor: status == .steadyState ? EnergyMonitorReport() : monitor,
                statistics: .explicit(ExplicitStatistics(steps: 3, rhsEvaluations: 19, rejectedSteps: 1)), dynamics: .gradient)
            let back = try Self.roundTrip(t)
            #expect(back.status == status)
            #expect(back.states[1].isNaN && back.finalState[0] == .infinity && back.finalState[1].sign == .minus)
            #expect(back.energyTrace[0].rate.isNaN)
            #expect(back.monitor.firstViolationTime == t.monitor.firstViolationTime)
            #expect(back.statistics == t.statistics)
        }
    }
}
