import Foundation

/// The thresholds of the automatic method (``SimulationAlgorithm/auto``): when a trajectory starts on
/// CVODE BDF instead of the explicit pair, and when it moves there mid-way (docs/performance-auto.md).
///
/// Both rules compare a prediction of the explicit pair's remaining cost, counted in vector-field
/// evaluations, with ``switchCost``. A Tsit5 step limited by stability has `h ρ ≈ 3` and costs six
/// evaluations, so integrating a span `Δt` at stiffness `ρ` costs about
///
///     6 Δt ρ / 3 = 2 Δt ρ   evaluations.
public struct AutoMethodOptions: Sendable, Hashable {
    /// Consecutive accepted steps whose size the stability cap set (not the error control) before a
    /// trajectory may move to BDF: the steps are stability-limited, not a transient.
    public var cappedSteps: Int = 15
    /// Move (or start) on BDF when the predicted explicit cost of the rest, `2 Δt ρ`, is at least this
    /// many evaluations.
    public var switchCost: Double = 2000
    /// Without a stiffness estimate yet, `ρ ≈ 1 / τ_min` (the fastest unit's own decay rate).
    /// With a steady-state stop, the span is at most `steadySpan · τ_max` (a flow settles within a few
    /// dozen of its slowest time constants).
    public var steadySpan: Double = 20
    /// Use the Newton finish (``NewtonFinish``) for trajectories that stop at a steady state.
    public var newtonFinish: Bool = true
    /// The Newton finish's thresholds and safeguards.
    public var finish = NewtonFinishOptions()

    /// The defaults.
    public init() {}

    /// Whether a problem is stiff from the start: the explicit pair's predicted cost over the whole span,
    ///
    ///     2 Δt / τ_min ≥ switchCost,   Δt = t_end, or min(t_end, steadySpan · τ_max) with a steady stop,
    ///
    /// reaches the switching cost.
    ///
    /// - Parameters:
    ///   - timeConstants: `τ` of every unit.
    ///   - endTime: the end of the time span.
    ///   - untilSteady: whether the run stops at a steady state.
    public func startsImplicit(timeConstants: [Double], endTime: Double, untilSteady: Bool) -> Bool {
        guard let fastest = timeConstants.min(), let slowest = timeConstants.max(), fastest > 0 else { return false }
        let span = untilSteady ? min(endTime, steadySpan * slowest) : endTime
        return 2 * span / fastest >= switchCost
    }
}

/// Decides, one accepted explicit step at a time, when a trajectory moves from the explicit pair to
/// CVODE BDF: after ``AutoMethodOptions/cappedSteps`` consecutive steps set by the stability cap, when
/// the predicted cost of integrating the rest explicitly,
///
///     2 Δt ρ  ≥  switchCost,   Δt = t_end − t  (with a steady stop: at most the time the decay of ‖ẋ‖
///                                                over the capped run predicts until ‖ẋ‖_WRMS ≤ 1)
///
/// reaches the switching cost (DOPRI5's stiffness test, `h ρ > 3.25` on 15 consecutive steps, is the
/// model; our pair caps `h ρ` at 3, so a capped step is the sign).
public struct StiffnessSwitch: Sendable {
    private let options: AutoMethodOptions
    private let endTime: Double
    private let untilSteady: Bool
    private var capped = 0
    private var runStart = (t: 0.0, norm: Double.infinity)

    /// A tracker for one trajectory.
    ///
    /// - Parameters:
    ///   - options: the thresholds.
    ///   - endTime: the end of the time span.
    ///   - untilSteady: whether the run stops at a steady state.
    public init(options: AutoMethodOptions, endTime: Double, untilSteady: Bool) {
        self.options = options
        self.endTime = endTime
        self.untilSteady = untilSteady
    }

    /// Records an accepted explicit step and tells whether the trajectory should move to BDF now.
    ///
    /// - Parameters:
    ///   - t: the time reached.
    ///   - rho: Hairer's stiffness estimate `ρ` of the step.
    ///   - isCapped: whether the stability cap set the next step size.
    ///   - norm: `‖ẋ‖_WRMS` at the new state.
    /// - Returns: true when the rest should run on BDF.
    public mutating func record(t: Double, rho: Double, capped isCapped: Bool, norm: Double) -> Bool {
        if isCapped {
            if capped == 0 { runStart = (t, norm) }
            capped += 1
        } else {
            capped = 0
        }
        guard capped >= options.cappedSteps, rho.isFinite, rho > 0 else { return false }
        var span = endTime - t
        if untilSteady && norm < runStart.norm && t > runStart.t {
            let rate = log(runStart.norm / norm) / (t - runStart.t)
            span = min(span, max(0, log(max(norm, 1))) / rate)
        }
        return 2 * span * rho >= options.switchCost
    }
}
