import Hopfield
import HopfieldIO
import HopfieldAnalysis

/// The JSON document of `hopfield analyze` (docs/analysis.md explains every number).
enum AnalyzeReport {
    /// One report: the main keys first, then the supporting details. Fields that need a converged fixed point
    /// are `null` when none was found; the fields of the Lagrangian-network claims (dead units, flat region,
    /// recovery, range spectrum, basin) are `null` when `lagrangian_claims.applicable` is false.
    static func document(network: Network, report: SteadyStateReport) -> JSON {
        let fixedPoint = report.fixedPoint
        let flat = report.flatDirections
        let stability = report.stability
        let recovery = report.recovery
        // Stability from J and ∇²E alone when the claims of docs/math.md §3 do not apply (similarity synapses).
        let general = report.lagrangianClaimsNotApplicable == nil ? nil : report.jacobianStability
        func optional(_ x: Double?) -> JSON { x.map { .number($0) } ?? .null }
        var members: [(String, JSON)] = [
            ("status", .string(fixedPoint.status.description)),
            ("fixed_point", SimulationReport.layersJSON(network, fixedPoint.state)),
            ("residual", .number(fixedPoint.residual)),
            ("energy", .number(fixedPoint.energy)),
            ("dead_neurons", flat.map { f in
                .object(network.layers.indices.map { (network.layers[$0].name, .array(f.deadUnits[$0].map { .int($0) })) })
            } ?? .null),
            ("flat_dimension", flat.map { .int($0.dimension) } ?? .null),
            ("hessian_rank", flat.map { .int($0.hessianRank) } ?? .null),
            ("jacobian_max_real_eigenvalue", optional(stability?.maxRealEigenvalue ?? general?.maxRealEigenvalue)),
            ("range_spectrum_mismatch", optional(stability?.mismatch)),
            ("stable", (stability?.stability ?? general?.stability).map { .bool($0 == .asymptoticallyStable) } ?? .null),
            ("energy_hessian_range_min_eigenvalue",
             optional(stability?.energyHessianRangeMinEigenvalue ?? general?.energyHessianRangeMinEigenvalue)),
            ("recovery_error", optional(recovery?.error)),
            ("basin_check", basinJSON(network, report.basin)),
        ]
        members += [
            ("stability", (stability?.stability ?? general?.stability).map { .string($0.rawValue) } ?? .null),
            ("stability_from_energy_hessian",
             (stability?.energyHessianStability ?? general?.energyHessianStability).map { .string($0.rawValue) } ?? .null),
            ("range_coupling_max_eigenvalue", optional(stability?.rangeCouplingMaxEigenvalue)),
            ("collective_directions", flat.map { f in
                .array(f.collectiveDirections.map { d in
                    .object([("layer", .string(network.layers[d.layer].name)), ("lagrangian", .string(d.lagrangian))])
                })
            } ?? .null),
            ("numerical_flat_directions", flat.map { .int($0.numericalDirections) } ?? .null),
            ("recovery_error_polished", optional(recovery?.polishedError)),
            ("dead_inputs_negative", recovery.map { .bool($0.deadInputsNegative) } ?? .null),
            ("max_dead_input", optional(recovery?.maxDeadInput)),
            ("newton", .object([
                ("status", fixedPoint.newtonStatus.map { .string($0.description) } ?? .null),
                ("iterations", .int(fixedPoint.newtonIterations)),
            ])),
            ("integration", fixedPoint.integrationStatus.map { s in
                .object([("status", .string(s.description)), ("t_final", optional(fixedPoint.integrationTime))])
            } ?? .null),
            ("lyapunov", fixedPoint.trajectory.map(lyapunovJSON) ?? .null),
            ("lagrangian_claims", .object([
                ("applicable", .bool(report.lagrangianClaimsNotApplicable == nil)),
                ("reason", report.lagrangianClaimsNotApplicable.map { .string($0) } ?? .null),
            ])),
            ("energy_hessian_undefined", report.jacobianStability?.energyHessianUndefined.map { .string($0) } ?? .null),
        ]
        return .object(members)
    }

    static func basinJSON(_ network: Network, _ basin: BasinCheck?) -> JSON {
        guard let basin else { return .null }
        return .object([
            ("samples", .int(basin.samples)),
            ("converged", .int(basin.converged)),
            ("decay_rate", basin.decayRate.map { .number($0) } ?? .null),
            ("expected_rate", basin.expectedRate.map { .number($0) } ?? .null),
            ("layers", .object(basin.layerRates.map { r in
                (network.layers[r.layer].name, .object([
                    ("decay_rate", .number(r.fittedRate)), ("expected_rate", .number(r.expectedRate)),
                    ("max_relative_error", .number(r.maxRelativeError)),
                ]))
            })),
            ("max_activation_change", .number(basin.maxActivationChange)),
            ("max_final_distance", .number(basin.maxFinalDistance)),
        ])
    }

    static func lyapunovJSON(_ trace: LyapunovTrace) -> JSON {
        .object([
            ("alpha", .number(trace.alpha)),
            ("alpha_max", .number(trace.alphaMax)),
            ("alpha_global", .bool(trace.alphaIsGlobal)),
            ("hessian_bound", .number(trace.hessianBound)),
            ("coupling_norm", .number(trace.couplingNorm)),
            ("steps", .int(trace.steps)),
            ("energy_initial", .number(trace.samples.first?.energy ?? .nan)),
            ("V_initial", .number(trace.samples.first?.lyapunov ?? .nan)),
            ("residual_norm_initial", .number(trace.samples.first?.residualNorm ?? .nan)),
            ("max_energy_increase", .number(trace.maxEnergyIncrease)),
            ("max_V_increase", .number(trace.maxLyapunovIncrease)),
            ("max_dVdt", .number(trace.maxLyapunovRate)),
            ("rate_bound_violations", .int(trace.rateBoundViolations)),
            ("plateau_steps", .int(trace.plateauSteps.count)),
            ("plateau_steps_strictly_decreasing", .int(trace.plateauStepsStrictlyDecreasing)),
        ])
    }

    /// A batch: one report per state and the distinct fixed points found.
    static func batchDocument(network: Network, reports: [SteadyStateReport]) -> JSON {
        let distinct = distinctFixedPoints(reports)
        return .object([
            ("batch", .int(reports.count)),
            ("converged", .int(reports.filter(\.isConverged).count)),
            ("reports", .array(reports.map { document(network: network, report: $0) })),
            ("distinct_fixed_points", .array(distinct.map { d in
                .object([
                    ("fixed_point", SimulationReport.layersJSON(network, d.state)),
                    ("energy", .number(d.energy)),
                    ("stable", d.stability.map { .bool($0 == .asymptoticallyStable) } ?? .null),
                    ("members", .array(d.members.map { .int($0) })),
                ])
            })),
        ])
    }
}
