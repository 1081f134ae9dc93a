import Foundation
import Hopfield
import HopfieldIO
import HopfieldSimulation

/// The files of `simulate --out DIR`.
enum SimulationOutput {
    /// Writes summary.json, times.npy, trajectory.npy, energy.csv, energy.svg and (for 2-D layers) states.svg.
    ///
    /// Every trajectory is laid on the requested save grid: after a steady state the final state is repeated
    /// (it no longer moves); after a failure the remaining rows are NaN.
    static func write(
        network: Network, solution: SimulationSolution, summary: JSON, to dir: URL, found: PatternReport.Found? = nil
    ) throws {
        try write(model: network, solution: solution, summary: summary, to: dir, found: found)
    }

    /// The same files for any model (stored patterns are shown for networks only).
    static func write(
        model: any DynamicalModel, solution: SimulationSolution, summary: JSON, to dir: URL,
        found: PatternReport.Found? = nil
    ) throws {
        let results = solution.trajectories
        try OutputFolder.text(summary.serialized() + "\n", dir.appendingPathComponent("summary.json"))
        let grid = solution.saveTimes
        let n = model.dimension
        try NPY.write(NPYArray(shape: [grid.count], values: grid), to: dir.appendingPathComponent("times.npy"))
        var trajectory: [Double] = []
        trajectory.reserveCapacity(results.count * grid.count * n)
        for r in results { trajectory += r.statesOnSaveGrid() }
        let shape = solution.isBatch ? [results.count, grid.count, n] : [grid.count, n]
        try NPY.write(NPYArray(shape: shape, values: trajectory), to: dir.appendingPathComponent("trajectory.npy"))
        var csv = "trajectory,t,energy,dEdt\n"
        for (b, r) in results.enumerated() {
            for s in r.energyTrace { csv += "\(b),\(s.t),\(s.energy),\(s.rate)\n" }
        }
        try OutputFolder.text(csv, dir.appendingPathComponent("energy.csv"))
        try OutputFolder.text(SimulationPlots.energy(results), dir.appendingPathComponent("energy.svg"))
        let states = (model as? Network).map { SimulationPlots.states(network: $0, results: results, found: found) }
            ?? SimulationPlots.states(variables: model.variables, results: results)
        if let states {
            try OutputFolder.text(states, dir.appendingPathComponent("states.svg"))
        }
    }
}
