import Hopfield
import HopfieldSimulation

extension DrDAMExperiment {
    /// Descends a gradient-flow model from each state to a steady state: the retrieval of the DrDAM
    /// measurement (docs/math.md §8), integrated by `solve(_:_:options:)` with Tsit5, stopping when
    /// `‖ẋ‖_WRMS ≤ 1` (weights `1/(atol + rtol|x_i|)`) or at `endTime`.
    ///
    /// - Parameters:
    ///   - model: the model (the exact or the random-feature memory).
    ///   - states: the initial states.
    ///   - endTime: the longest time integrated (default 100).
    /// - Returns: the final states, one per initial state.
    /// - Throws: `SimulationError` when the integration cannot be set up.
    public static func steadyStates(
        of model: GradientModel, from states: [[Double]], endTime: Double = 100
    ) throws -> [[Double]] {
        let problem = SimulationProblem(
            model: model, flatInitialStates: states, isBatch: true, endTime: endTime, saveCount: 2,
            stopAtSteadyState: true)
        let solution = try solve(
            problem, .tsit5, options: SimulationOptions(relativeTolerance: 1e-6, absoluteTolerance: 1e-8))
        return solution.trajectories.map(\.finalState)
    }
}
