import Foundation

/// Decides, one accepted step at a time, when a trajectory running until steady is close and settled
/// enough to be handed to ``NewtonFinish`` (docs/performance-auto.md).
///
/// A hand-off is due when, at the current accepted step `t`,
///
///     ‖ẋ‖_WRMS ≤ threshold,   ‖ẋ‖_WRMS decreased at each of the last k steps,
///     the dominant pattern is the same at each of the last k + 1 steps,
///     t + ln(‖ẋ‖_WRMS) / λ ≤ t_end,   λ = ln(‖ẋ(t_s)‖ / ‖ẋ(t)‖) / (t − t_s)
///
/// with `k` = ``NewtonFinishOptions/settledSteps`` and `t_s` the start of the current run of decreasing
/// steps: the last condition asks that, decaying at the rate it has decayed, the trajectory would pass
/// the steady-state test (`‖ẋ‖_WRMS ≤ 1`) before the end of the time span — a trajectory that would
/// still be moving at `t_end` is integrated to `t_end`, as without the finish. After a refused hand-off the threshold is divided
/// by ``NewtonFinishOptions/retryFactor`` and the counts start again; after
/// ``NewtonFinishOptions/maxAttempts`` hand-offs the trajectory is integrated to its end.
public struct SteadyHandoff: Sendable {
    /// The current threshold on `‖ẋ‖_WRMS`.
    public private(set) var threshold: Double
    /// Hand-offs tried so far.
    public private(set) var attempts = 0
    private let settledSteps: Int
    private let retryFactor: Double
    private let maxAttempts: Int
    private let endTime: Double
    private var lastNorm = Double.infinity
    private var runStart = (t: 0.0, norm: Double.infinity)
    private var decreasing = 0
    private var lastPattern: Int? = nil
    private var samePattern = 0

    /// A tracker with the options' threshold and counts.
    ///
    /// - Parameters:
    ///   - options: the threshold, counts and retries.
    ///   - endTime: the end of the time span.
    public init(options: NewtonFinishOptions, endTime: Double = .infinity) {
        self.endTime = endTime
        threshold = options.handoffThreshold
        settledSteps = options.settledSteps
        retryFactor = options.retryFactor
        maxAttempts = options.maxAttempts
    }

    /// Whether no further hand-off will be tried.
    public var isExhausted: Bool { attempts >= maxAttempts }

    /// Records an accepted step and tells whether to hand off now.
    ///
    /// - Parameters:
    ///   - t: the time of the new state.
    ///   - norm: `‖ẋ‖_WRMS` at the new state.
    ///   - pattern: the dominant pattern's signature at the new state (``NewtonFinish/patternSignature(of:)``).
    /// - Returns: true when a hand-off is due.
    public mutating func record(t: Double, norm: Double, pattern: Int) -> Bool {
        if lastNorm.isFinite && norm < lastNorm {
            decreasing += 1
        } else {
            decreasing = 0
            runStart = (t, norm)
        }
        samePattern = pattern == lastPattern ? samePattern + 1 : 0
        lastNorm = norm
        lastPattern = pattern
        guard !isExhausted && norm <= threshold && decreasing >= settledSteps && samePattern >= settledSteps else {
            return false
        }
        let rate = log(runStart.norm / norm) / (t - runStart.t)
        return norm <= 1 || (rate > 0 && t + log(norm) / rate <= endTime)
    }

    /// Records a hand-off's outcome: a refusal lowers the threshold and restarts the counts.
    ///
    /// - Parameters:
    ///   - polished: whether the Newton result was kept.
    public mutating func handedOff(polished: Bool) {
        attempts += 1
        guard !polished else { return }
        threshold /= retryFactor
        decreasing = 0
        lastNorm = .infinity
        samePattern = 0
    }
}
