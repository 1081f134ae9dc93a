import Hopfield
import HopfieldIO
import HopfieldSimulation

/// The JSON document of `hopfield simulate` (docs/cli.md, "--json").
enum SimulationReport {
    /// The monitor's report; `non_finite` (the first time E, dE/dt or the state was NaN or infinite) only
    /// when that happened.
    static func monitorJSON(_ m: EnergyMonitorReport) -> JSON {
        var members: [(String, JSON)] = [
            ("steps", .int(m.steps)),
            ("max_energy_increase", .number(m.maxEnergyIncrease)),
            ("violations", .int(m.violations)),
            ("max_dEdt", .number(m.maxRate)),
            ("passed", .bool(m.passed)),
        ]
        if let t = m.firstNonFiniteTime { members.append(("non_finite_at", .number(t))) }
        return .object(members)
    }

    static func statsJSON(_ s: SolverStatistics) -> JSON {
        .object([
            ("steps", .int(s.steps)),
            ("rhs_evals", .int(s.rhsEvaluations)),
            ("jac_evals", .int(s.jacobianEvaluations)),
            ("linear_iterations", .int(s.linearIterations)),
            ("nonlinear_iterations", .int(s.nonlinearIterations)),
            ("error_test_failures", .int(s.errorTestFailures)),
        ])
    }

    /// Which method ran which part of one trajectory: `[{"method", "t_start", "t_end", "steps", "rhs_evals"}]`.
    static func segmentsJSON(_ segments: [MethodSegment]) -> JSON {
        .array(segments.map { segment in
            .object([
                ("method", .string(segment.method.rawValue)),
                ("t_start", .number(segment.startTime)),
                ("t_end", .number(segment.endTime)),
                ("steps", .int(segment.statistics.steps)),
                ("rhs_evals", .int(segment.statistics.rhsEvaluations)),
            ])
        })
    }

    /// The per-layer final state of one trajectory.
    static func layersJSON(_ network: Network, _ state: [Double]) -> JSON {
        .object(network.layerStates(state).map { ($0.name, JSON.numbers($0.values)) })
    }

    /// One document for one trajectory, or with a leading batch axis on every per-trajectory field; `extra`
    /// members (e.g. the demo's queries) go last.
    static func document(
        network: Network, results: [TrajectorySolution], batch: Bool, extra: [(String, JSON)] = [],
        found: PatternReport.Found? = nil
    ) -> JSON {
        func field(_ f: (TrajectorySolution) -> JSON) -> JSON { batch ? .array(results.map(f)) : f(results[0]) }
        var members = commonMembers(names: network.layers.map(\.name), results: results, batch: batch)
        members += [
            ("final_activations", PatternReport.finalActivations(network, results, batch: batch)),
            ("nearest_pattern", PatternReport.nearestPatterns(network, results, batch: batch, found: found)),
            ("layers", PatternReport.layout(network)),
        ]
        members += methodMembers(results: results, batch: batch)
        return .object(members + extra)
    }

    /// The document of a gradient-flow model's run, by its variables: the keys of a network's document
    /// without the Lagrangian-only ones (`final_activations`, `nearest_pattern`, `layers`).
    static func document(variables: [ModelVariable], results: [TrajectorySolution], batch: Bool) -> JSON {
        .object(
            commonMembers(names: variables.map(\.name), results: results, batch: batch)
                + methodMembers(results: results, batch: batch))
    }

    /// Which integrator ran which part of each trajectory (`segments`), when the automatic method handed
    /// over to its Newton finish (`handoff_time`, or null) and whether that finish polished the state.
    static func methodMembers(results: [TrajectorySolution], batch: Bool) -> [(String, JSON)] {
        func field(_ f: (TrajectorySolution) -> JSON) -> JSON { batch ? .array(results.map(f)) : f(results[0]) }
        return [
            ("segments", field { segmentsJSON($0.segments) }),
            ("handoff_time", field { $0.handoffTime.map(JSON.number) ?? .null }),
            ("polished", field { .bool($0.polished) }),
        ]
    }

    /// The members every document starts with: `batch` (for a batch), status, times, energies, monitor,
    /// statistics and the final state by variable (layer) name, each with a leading batch axis for a batch.
    static func commonMembers(names: [String], results: [TrajectorySolution], batch: Bool) -> [(String, JSON)] {
        func field(_ f: (TrajectorySolution) -> JSON) -> JSON { batch ? .array(results.map(f)) : f(results[0]) }
        let finalState = JSON.object(names.map { name in (name, field { JSON.numbers($0.final[name]!) }) })
        var members: [(String, JSON)] = []
        if batch { members.append(("batch", .int(results.count))) }
        members += [
            ("status", field { .string($0.status.description) }),
            ("t_final", field { .number($0.finalTime) }),
            ("energy_initial", field { .number($0.energyInitial) }),
            ("energy_final", field { .number($0.energyFinal) }),
            ("monitor", field { monitorJSON($0.monitor) }),
            ("stats", field { statsJSON($0.statistics.solverStatistics) }),
            ("final_state", finalState),
        ]
        return members
    }
}
