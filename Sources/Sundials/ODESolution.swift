/// The result of ``integrate(_:options:observer:)``: saved states, where it stopped, and why.
public struct ODESolution: Sendable {
    /// The number of state components `n`.
    public var dimension: Int
    /// The save times actually reached, ascending.
    public var times: [Double]
    /// The saved states, flat and row-major: `times.count × dimension`.
    public var states: [Double]
    /// Where integration stopped: `endTime` on success, earlier on failure, steady state or
    /// observer stop.
    public var finalTime: Double
    /// The state at `finalTime` (the last successful step).
    public var finalState: [Double]
    /// Why integration stopped.
    public var status: SolverStatus
    /// CVODE's counters.
    public var statistics: SolverStatistics

    /// Creates a solution.
    /// - Parameters:
    ///   - dimension: `n`.
    ///   - times: Saved times.
    ///   - states: Saved states, row-major.
    ///   - finalTime: Where integration stopped.
    ///   - finalState: The state there.
    ///   - status: Why it stopped.
    ///   - statistics: Solver counters.
    public init(
        dimension: Int, times: [Double], states: [Double], finalTime: Double, finalState: [Double],
        status: SolverStatus, statistics: SolverStatistics
    ) {
        self.dimension = dimension
        self.times = times
        self.states = states
        self.finalTime = finalTime
        self.finalState = finalState
        self.status = status
        self.statistics = statistics
    }

    /// The saved state at `times[index]`:
    ///
    /// ```
    /// states[index*n ..< (index+1)*n]
    /// ```
    ///
    /// The slice keeps the indices of `states` (it starts at `index*n`, not 0): use `.first`,
    /// iterate it, or wrap it in `Array(_:)` to index from 0.
    /// - Parameter index: A save index in `0 ..< times.count`.
    /// - Returns: The `n` values, or an empty slice when `index` is out of range.
    public func state(at index: Int) -> ArraySlice<Double> {
        let lower = index &* dimension
        guard index >= 0, index < times.count, dimension > 0, lower + dimension <= states.count else {
            return states[0..<0]
        }
        return states[lower..<(lower + dimension)]
    }
}
