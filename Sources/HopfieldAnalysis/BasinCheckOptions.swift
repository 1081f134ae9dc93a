/// How ``checkBasin(_:fixedPoint:options:)`` samples the flat region and judges convergence.
public struct BasinCheckOptions: Sendable {
    /// The number of sampled states.
    public var samples: Int = 8
    /// The seed of the sampling.
    public var seed: UInt64 = 1
    /// CVODE's relative tolerance.
    public var relativeTolerance: Double = 1e-10
    /// CVODE's absolute tolerance.
    public var absoluteTolerance: Double = 1e-12
    /// The integration horizon in units of the largest time constant.
    public var horizon: Double = 40
    /// A sample converged when `‖x(T) − x*‖_∞ ≤ convergenceTolerance · max(1, ‖x*‖_∞)`.
    public var convergenceTolerance: Double = 1e-6

    public init() {}

    /// Checks the options.
    ///
    /// - Throws: ``AnalysisError/invalidOptions(_:)`` naming the offending option.
    public func validate() throws(AnalysisError) {
        func bad(_ s: String) -> AnalysisError { .invalidOptions(s) }
        guard samples >= 0 else { throw bad("samples must be ≥ 0, got \(samples)") }
        guard relativeTolerance.isFinite, relativeTolerance > 0, relativeTolerance < 1 else {
            throw bad("basin rtol must be in (0, 1), got \(relativeTolerance)")
        }
        guard absoluteTolerance.isFinite, absoluteTolerance > 0 else {
            throw bad("basin atol must be a finite number > 0, got \(absoluteTolerance)")
        }
        guard horizon.isFinite, horizon >= 15 else { throw bad("basin horizon must be ≥ 15 time constants, got \(horizon)") }
        guard convergenceTolerance.isFinite, convergenceTolerance > 0 else {
            throw bad("convergence tolerance must be a finite number > 0, got \(convergenceTolerance)")
        }
    }
}
