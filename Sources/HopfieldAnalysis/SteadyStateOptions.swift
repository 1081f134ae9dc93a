/// What ``analyzeSteadyState(_:from:options:)`` does.
public struct SteadyStateOptions: Sendable {
    /// How the fixed point is found.
    public var fixedPoint = FixedPointOptions()
    /// How the flat region is sampled.
    public var basin = BasinCheckOptions()
    /// Run the basin check (only at asymptotically stable fixed points with flat directions).
    public var checkBasin = true

    public init() {}
}
