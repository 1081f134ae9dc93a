/// One part of a trajectory integrated by one method: `[startTime, endTime]` and that method's counters.
public struct MethodSegment: Sendable, Equatable {
    /// The method that ran (`tsit5`, `bdf` or `adams`).
    public var method: SimulationMethod
    /// Where the part starts.
    public var startTime: Double
    /// Where it ends (the switch time, or where the trajectory stopped).
    public var endTime: Double
    /// The counters of this part alone.
    public var statistics: IntegratorStatistics

    /// Creates a segment.
    public init(method: SimulationMethod, startTime: Double, endTime: Double, statistics: IntegratorStatistics) {
        self.method = method
        self.startTime = startTime
        self.endTime = endTime
        self.statistics = statistics
    }
}
