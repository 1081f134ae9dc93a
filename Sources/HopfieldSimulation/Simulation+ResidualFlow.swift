import Hopfield
import Sundials

/// Integrates the residual flow ``Dynamics/residual`` with CVODE, monitoring `V = ‖r‖²`.
///
///     ẋ = (I − C H(x))⁻¹ τ⁻¹ r(x)
///
/// The dense linear solver uses ``ResidualFlow/approximateJacobian(at:into:)``; GMRES uses CVODE's
/// difference-quotient Jacobian–vector products. The result's `monitor` judges `V`, its `lyapunovTrace`
/// holds `V` and `dV/dt`, and its `energyTrace` holds `E` and `dE/dt` along this flow.
func simulateResidualFlow(
    _ network: Network, from initialState: [Double], options: SimulationOptions
) throws(SimulationError) -> SimulationResult {
    let flow = ResidualFlow(network: network)
    let monitor = ResidualMonitor(
        network: network, relativeTolerance: options.relativeTolerance,
        absoluteTolerance: options.absoluteTolerance, safetyFactor: options.monitorSafetyFactor)
    initialState.withUnsafeBufferPointer { monitor.record(t: 0, state: $0) }

    let problem = ODEProblem(
        initialState: initialState, startTime: 0, endTime: options.endTime,
        vectorField: { _, y, ydot in try flow.vectorField(y, into: ydot) },
        jacobian: { _, y, jacobian in try flow.approximateJacobian(at: y, into: jacobian) })
    let solution = try integrateRecording(problem, options: options) { t, y in monitor.record(t: t, state: y) }
    return SimulationResult(
        status: solution.status, times: solution.times, states: solution.states, dimension: network.dimension,
        finalTime: solution.finalTime, finalState: solution.finalState, energyTrace: monitor.energySamples,
        monitor: monitor.report, statistics: solution.statistics, dynamics: .residual,
        lyapunovTrace: monitor.samples)
}
