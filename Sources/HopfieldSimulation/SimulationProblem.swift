/// What to integrate: a model, its initial state(s) by variable name — one state or a batch —, the time
/// span `[0, endTime]`, the saved states and whether to stop at a steady state.
///
/// Variables not named start at 0; a clamped unit keeps its initial value for the whole run. The
/// problem is checked once, by ``solve(_:_:options:)``.
public struct SimulationProblem: Sendable {
    /// The model integrated.
    public var model: any DynamicalModel
    /// The end of the time span `[0, endTime]`, finite and > 0.
    public var endTime: Double
    /// The number of equally spaced saved states in `[0, endTime]` (including both ends); at least 2.
    public var saveCount: Int
    /// Stop a trajectory as soon as it is steady: `‖ẋ‖_WRMS ≤ 1` with weights `1 / (atol + rtol |xᵢ|)`.
    public var stopAtSteadyState: Bool
    /// Whether the initial states are a batch (the solution keeps a batch of one as a batch).
    public let isBatch: Bool
    /// The initial states, by variable name or already flat.
    let initial: Initial

    enum Initial: Sendable {
        case named([[String: [Double]]])
        case flat([[Double]])
    }

    /// A problem with one initial state given by variable name.
    ///
    /// - Parameters:
    ///   - model: the model.
    ///   - initialState: values of some variables (e.g. `["visible": query]`); the others start at 0.
    ///   - endTime: the end of the time span.
    ///   - saveCount: the number of saved states (≥ 2).
    ///   - stopAtSteadyState: stop once the state is steady.
    public init(
        model: any DynamicalModel, initialState: [String: [Double]], endTime: Double = 10, saveCount: Int = 101,
        stopAtSteadyState: Bool = false
    ) {
        self.init(model: model, initial: .named([initialState]), isBatch: false, endTime: endTime,
                  saveCount: saveCount, stopAtSteadyState: stopAtSteadyState)
    }

    /// A problem with a batch of initial states given by variable name.
    ///
    /// - Parameters:
    ///   - model: the model.
    ///   - initialStates: one dictionary of variable values per trajectory.
    ///   - endTime: the end of the time span.
    ///   - saveCount: the number of saved states (≥ 2).
    ///   - stopAtSteadyState: stop each trajectory once it is steady.
    public init(
        model: any DynamicalModel, initialStates: [[String: [Double]]], endTime: Double = 10, saveCount: Int = 101,
        stopAtSteadyState: Bool = false
    ) {
        self.init(model: model, initial: .named(initialStates), isBatch: true, endTime: endTime,
                  saveCount: saveCount, stopAtSteadyState: stopAtSteadyState)
    }

    /// A problem with flat initial states (the model's variables concatenated, `ModelVariable.range`),
    /// e.g. read from a file.
    ///
    /// - Parameters:
    ///   - model: the model.
    ///   - flatInitialStates: one flat state of `DynamicalModel.dimension` entries per trajectory.
    ///   - isBatch: whether they are a batch (a single state must then be the only one).
    ///   - endTime: the end of the time span.
    ///   - saveCount: the number of saved states (≥ 2).
    ///   - stopAtSteadyState: stop each trajectory once it is steady.
    public init(
        model: any DynamicalModel, flatInitialStates: [[Double]], isBatch: Bool, endTime: Double = 10,
        saveCount: Int = 101, stopAtSteadyState: Bool = false
    ) {
        self.init(model: model, initial: .flat(flatInitialStates), isBatch: isBatch, endTime: endTime,
                  saveCount: saveCount, stopAtSteadyState: stopAtSteadyState)
    }

    private init(
        model: any DynamicalModel, initial: Initial, isBatch: Bool, endTime: Double, saveCount: Int,
        stopAtSteadyState: Bool
    ) {
        self.model = model
        self.initial = initial
        self.isBatch = isBatch
        self.endTime = endTime
        self.saveCount = saveCount
        self.stopAtSteadyState = stopAtSteadyState
    }

    /// The number of trajectories.
    public var trajectoryCount: Int {
        switch initial {
        case .named(let states): states.count
        case .flat(let states): states.count
        }
    }

    /// The equally spaced save times.
    public var saveTimes: [Double] { equallySpacedTimes(endTime: endTime, count: saveCount) }

    /// The flat initial states, checked: the time span and saves, every state's length (or variable
    /// names and lengths) and finiteness.
    ///
    /// - Throws: ``SimulationError`` naming the option, the trajectory (for a batch) and the entry.
    func validatedStates() throws(SimulationError) -> [[Double]] {
        try Self.validatedStates(
            initial, isBatch: isBatch, endTime: endTime, saveCount: saveCount, variables: model.variables,
            dimension: model.dimension)
    }

    /// ``validatedStates()`` for a model of these variables and flat length (a split network's whole
    /// state too).
    static func validatedStates(
        _ initial: Initial, isBatch: Bool, endTime: Double, saveCount: Int, variables: [ModelVariable],
        dimension n: Int
    ) throws(SimulationError) -> [[Double]] {
        let trajectoryCount = switch initial {
        case .named(let states): states.count
        case .flat(let states): states.count
        }
        guard endTime.isFinite, endTime > 0 else {
            throw .invalidOptions("t-end must be a finite number > 0, got \(endTime)")
        }
        guard saveCount >= 2 else { throw .invalidOptions("saves must be at least 2, got \(saveCount)") }
        if !isBatch && trajectoryCount != 1 {
            throw .invalidInitialState("a single-state problem needs exactly one state, got \(trajectoryCount)")
        }
        func prefix(_ b: Int) -> String { isBatch ? "trajectory \(b)" : "" }
        var states: [[Double]]
        switch initial {
        case .flat(let flat):
            for (b, x0) in flat.enumerated() where x0.count != n {
                throw .invalidInitialState(
                    isBatch ? "trajectory \(b) has \(x0.count) entries, the model has \(n) units"
                        : "has \(x0.count) entries, the model has \(n) units")
            }
            states = flat
        case .named(let named):
            states = []
            states.reserveCapacity(named.count)
            for (b, values) in named.enumerated() {
                var x = [Double](repeating: 0, count: n)
                for (name, v) in values.sorted(by: { $0.key < $1.key }) {
                    let at = isBatch ? "trajectory \(b): " : ""
                    guard let variable = variables.first(where: { $0.name == name }) else {
                        throw .invalidInitialState(
                            "\(at)\"\(name)\" names no variable (variables: \(variables.map(\.name).joined(separator: ", ")))")
                    }
                    guard v.count == variable.size else {
                        throw .invalidInitialState(
                            "\(at)\"\(name)\" has \(v.count) values, the variable has \(variable.size) units")
                    }
                    x.replaceSubrange(variable.range, with: v)
                }
                states.append(x)
            }
        }
        for (b, x0) in states.enumerated() {
            if let bad = x0.firstIndex(where: { !$0.isFinite }) {
                throw .invalidInitialState(
                    isBatch ? "\(prefix(b)): entry \(bad) is not finite (\(x0[bad]))"
                        : "entry \(bad) is not finite (\(x0[bad]))")
            }
        }
        return states
    }
}
