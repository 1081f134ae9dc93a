import Hopfield

/// Finds a fixed point from `initialState` and analyses it: linearisation and spectra, dead units and flat
/// directions, the recovery `x* = b + C g*` (claim i), stability in the range of `H` (claim ii) and, at a
/// stable fixed point with flat directions, the basin check of its flat region (claim iii).
///
/// Claims (i)–(iii) need a constant coupling matrix `C`: for a network with a Euclidean or Manhattan synapse
/// (`Network/isBilinear` false) only the linearisation and ``JacobianStability`` are computed, and
/// ``SteadyStateReport/lagrangianClaimsNotApplicable`` says why the rest is missing.
///
/// - Parameters:
///   - network: the network.
///   - initialState: the flat starting state (integrated, or polished directly: see ``FixedPointOptions``).
///   - options: fixed-point, basin and integration settings.
/// - Returns: the report; when no fixed point was found only its ``SteadyStateReport/fixedPoint`` is set.
/// - Throws: ``AnalysisError`` for bad options, a bad state, or a solver that cannot be set up.
public func analyzeSteadyState(
    _ network: Network, from initialState: [Double], options: SteadyStateOptions = SteadyStateOptions()
) throws(AnalysisError) -> SteadyStateReport {
    try options.basin.validate()
    let fixedPoint = try findFixedPoint(network, from: initialState, options: options.fixedPoint)
    var report = SteadyStateReport(fixedPoint: fixedPoint)
    guard fixedPoint.status.isConverged else { return report }
    let x = fixedPoint.state
    let linearization = try Linearization(network: network, at: x)
    report.linearization = linearization
    report.jacobianStability = try JacobianStability(network: network, linearization: linearization)
    guard network.isBilinear else {
        report.lagrangianClaimsNotApplicable = lagrangianClaimsReason(network)
        return report
    }
    let flat = try FlatDirections(network: network, at: x)
    let stability = try RangeStability(network: network, at: x, jacobianEigenvalues: linearization.jacobianEigenvalues)
    report.flatDirections = flat
    report.stability = stability
    report.recovery = try FixedPointRecovery(
        network: network, fixedPoint: x, reference: fixedPoint.integratedState, deadUnits: flat.deadUnits)
    if options.checkBasin && stability.stability == .asymptoticallyStable {
        report.basin = try checkBasin(network, fixedPoint: x, options: options.basin)
    }
    return report
}

/// Why the claims of docs/math.md §3 do not apply to a network that is not bilinear.
func lagrangianClaimsReason(_ network: Network) -> String {
    let kinds = Set(network.synapses.filter { !$0.isBilinear }.map(\.typeName)).sorted().joined(separator: ", ")
    return "the network has \(kinds) synapses: no constant coupling matrix C, so the recovery x* = b + C g*, "
        + "the range-spectrum prediction, the flat-region basin check and α_max (docs/math.md §3) do not apply"
}
