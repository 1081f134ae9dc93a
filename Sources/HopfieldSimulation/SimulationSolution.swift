/// One state of a model with its variables by name: `state["visible"]`.
public struct NamedState: Sendable, Equatable {
    /// The model's variables.
    public let variables: [ModelVariable]
    /// The flat state.
    public let values: [Double]

    /// Creates a named view of a flat state.
    public init(variables: [ModelVariable], values: [Double]) {
        self.variables = variables
        self.values = values
    }

    /// The values of the variable with this name, or nil when the model has none.
    public subscript(name: String) -> [Double]? {
        variables.first { $0.name == name }.map { Array(values[$0.range]) }
    }

    /// The variables' names, in order.
    public var names: [String] { variables.map(\.name) }
}

/// The counters of the integrator that ran.
public enum IntegratorStatistics: Sendable, Equatable {
    /// CVODE's counters (BDF or Adams).
    case cvode(SolverStatistics)
    /// The explicit pair's counters.
    case explicit(ExplicitStatistics)

    /// Accepted internal steps.
    public var steps: Int {
        switch self {
        case .cvode(let s): s.steps
        case .explicit(let s): s.steps
        }
    }

    /// Vector-field evaluations.
    public var rhsEvaluations: Int {
        switch self {
        case .cvode(let s): s.rhsEvaluations
        case .explicit(let s): s.rhsEvaluations
        }
    }

    /// CVODE's counters, with the explicit counters in the same fields (steps, right-hand sides, rejected
    /// steps as error-test failures) and zeros elsewhere: the shape of the command line's `stats`.
    public var solverStatistics: SolverStatistics {
        switch self {
        case .cvode(let s): return s
        case .explicit(let e):
            var s = SolverStatistics()
            s.steps = e.steps
            s.rhsEvaluations = e.rhsEvaluations
            s.errorTestFailures = e.rejectedSteps
            return s
        }
    }
}

/// The counters of one trajectory of the explicit Tsit5 pair.
public struct ExplicitStatistics: Sendable, Equatable {
    /// Accepted steps.
    public var steps: Int = 0
    /// Vector-field evaluations (the batched calls count once per trajectory they evaluate).
    public var rhsEvaluations: Int = 0
    /// Rejected steps (error test failed).
    public var rejectedSteps: Int = 0

    public init(steps: Int = 0, rhsEvaluations: Int = 0, rejectedSteps: Int = 0) {
        self.steps = steps
        self.rhsEvaluations = rhsEvaluations
        self.rejectedSteps = rejectedSteps
    }
}

/// The outcome of one trajectory: status, saved states, energy trace, monitor report and statistics.
public struct TrajectorySolution: Sendable {
    /// The model's variables (for named access).
    public let variables: [ModelVariable]
    /// The length of the flat state.
    public let dimension: Int
    /// The requested save grid (``times`` is its prefix reached).
    public let saveTimes: [Double]
    /// `success` (reached the end time), `steadyState` (stopped at a steady state), or the failure.
    public var status: SolverStatus
    /// The saved times reached (fewer than requested when the run stopped early).
    public var times: [Double]
    /// The saved states, flat: `times.count × dimension`, row-major.
    public var states: [Double]
    /// Where the integration stopped.
    public var finalTime: Double
    /// The flat state at ``finalTime``.
    public var finalState: [Double]
    /// Energy and analytic `dE/dt` at the initial state and after every internal step.
    public var energyTrace: [EnergySample]
    /// For the residual flow: `V = ‖r‖²` and `dV/dt` at the same times (the function ``monitor``
    /// judges); empty for the gradient flow, whose monitored function is the energy.
    public var lyapunovTrace: [EnergySample]
    /// The monitor's verdict on the Lyapunov function (the energy, or `‖r‖²` for the residual flow).
    public var monitor: EnergyMonitorReport
    /// The counters of the integrator that ran (for lockstep batches, the shared solve's).
    public var statistics: IntegratorStatistics
    /// The flow that was integrated.
    public var dynamics: Dynamics
    /// Which method integrated which part of the trajectory, in time order: one segment, or — when
    /// ``SimulationAlgorithm/auto`` moved it — a `tsit5` segment followed by a `bdf` one.
    public var segments: [MethodSegment] = []
    /// The time at which the Newton finish (``NewtonFinish``) replaced the rest of the integration, when
    /// it did (``polished``).
    public var handoffTime: Double? = nil
    /// Whether the final state is the Newton finish's result (a fixed point to `‖ẋ‖_WRMS ≤ 0.01`).
    public var polished: Bool = false
    /// The Newton hand-offs tried and refused (their safeguard named), in order.
    public var refusedHandoffs: [NewtonRefusal] = []
    /// Where the explicit part stopped for BDF to continue (set by the explicit integrator under `auto`).
    var switchTime: Double? = nil

    /// The final state by variable name: `final["visible"]`.
    public var final: NamedState { NamedState(variables: variables, values: finalState) }

    /// The energy of the initial state.
    public var energyInitial: Double { energyTrace.first?.energy ?? .nan }
    /// The energy of the final state.
    public var energyFinal: Double { energyTrace.last?.energy ?? .nan }

    /// Saved flat state number `index`.
    public func state(at index: Int) -> ArraySlice<Double> {
        states[index * dimension ..< (index + 1) * dimension]
    }

    /// Saved state number `index` by variable name.
    public func namedState(at index: Int) -> NamedState {
        NamedState(variables: variables, values: Array(state(at: index)))
    }

    /// The saved values of one variable, `[saves][size]` (the saves reached), or nil when the model has
    /// no variable of that name.
    public func trajectory(_ name: String) -> [[Double]]? {
        guard let v = variables.first(where: { $0.name == name }) else { return nil }
        return times.indices.map { s in Array(states[s * dimension + v.offset ..< s * dimension + v.offset + v.size]) }
    }

    /// The saved states on the whole requested grid, flat `saveTimes.count × dimension`: the saves
    /// reached, then — after a steady state — the final state repeated (it no longer moves), or — after
    /// a failure — NaN rows.
    public func statesOnSaveGrid() -> [Double] {
        let reached = times.count
        var out = Array(states.prefix(reached * dimension))
        out.reserveCapacity(saveTimes.count * dimension)
        let fill: [Double] = status == .steadyState ? finalState : [Double](repeating: .nan, count: dimension)
        for _ in reached ..< saveTimes.count { out += fill }
        return out
    }
}

/// The outcome of ``solve(_:_:options:)``: one ``TrajectorySolution`` per initial state, with the
/// algorithm that ran.
///
/// For a single-state problem the trajectory's fields are available on the solution itself
/// (`solution.final["visible"]`, `solution.trajectory("memory")`); for a batch use
/// `solution[b].final["visible"]`.
public struct SimulationSolution: Sendable {
    /// The model's variables.
    public let variables: [ModelVariable]
    /// The requested save grid.
    public let saveTimes: [Double]
    /// Whether the problem was a batch.
    public let isBatch: Bool
    /// The algorithm that ran (``SimulationAlgorithm/auto`` resolved).
    public let algorithm: SimulationAlgorithm
    /// The batch strategy that ran (nil for the explicit method, whose trajectories are always independent).
    public let strategy: BatchStrategy?
    /// One solution per initial state, in order.
    public var trajectories: [TrajectorySolution]

    /// The number of trajectories.
    public var count: Int { trajectories.count }
    /// Trajectory `b`.
    public subscript(b: Int) -> TrajectorySolution { trajectories[b] }
    /// Whether every trajectory reached its end time or a steady state.
    public var succeeded: Bool { trajectories.allSatisfy { $0.status.isSuccess } }

    // The single trajectory's fields (trajectory 0 of a batch).

    /// The status of the (first) trajectory.
    public var status: SolverStatus { trajectories[0].status }
    /// The final state of the (first) trajectory by variable name.
    public var final: NamedState { trajectories[0].final }
    /// The saved times of the (first) trajectory.
    public var times: [Double] { trajectories[0].times }
    /// The saved values of one variable of the (first) trajectory, `[saves][size]`.
    public func trajectory(_ name: String) -> [[Double]]? { trajectories[0].trajectory(name) }
    /// The energy trace of the (first) trajectory.
    public var energyTrace: [EnergySample] { trajectories[0].energyTrace }
    /// The monitor report of the (first) trajectory.
    public var monitor: EnergyMonitorReport { trajectories[0].monitor }
    /// The statistics of the (first) trajectory.
    public var statistics: IntegratorStatistics { trajectories[0].statistics }
}
