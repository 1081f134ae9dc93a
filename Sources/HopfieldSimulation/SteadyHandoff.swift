/// Decides, one accepted step at a time, when a trajectory running until steady is close and settled
/// enough to be handed to ``NewtonFinish`` (docs/performance-auto.md).
///
/// A hand-off is due when, at the current accepted step,
///
///     ‖ẋ‖_WRMS ≤ threshold,   ‖ẋ‖_WRMS decreased at each of the last k steps,
///     the dominant pattern is the same at each of the last k + 1 steps
///
/// with `k` = ``NewtonFinishOptions/settledSteps``. After a refused hand-off the threshold is divided
/// by ``NewtonFinishOptions/retryFactor`` and the counts start again; after
/// ``NewtonFinishOptions/maxAttempts`` hand-offs the trajectory is integrated to its end.
public struct SteadyHandoff: Sendable, Hashable {
    /// The current threshold on `‖ẋ‖_WRMS`.
    public private(set) var threshold: Double
    /// Hand-offs tried so far.
    public private(set) var attempts = 0
    private let settledSteps: Int
    private let retryFactor: Double
    private let maxAttempts: Int
    private var lastNorm = Double.infinity
    private var decreasing = 0
    private var lastPattern: Int? = nil
    private var samePattern = 0

    /// A tracker with the options' threshold and counts.
    public init(options: NewtonFinishOptions) {
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
    ///   - norm: `‖ẋ‖_WRMS` at the new state.
    ///   - pattern: the dominant pattern's signature at the new state (``NewtonFinish/patternSignature(of:)``).
    /// - Returns: true when a hand-off is due.
    public mutating func record(norm: Double, pattern: Int) -> Bool {
        decreasing = lastNorm.isFinite && norm < lastNorm ? decreasing + 1 : 0
        samePattern = pattern == lastPattern ? samePattern + 1 : 0
        lastNorm = norm
        lastPattern = pattern
        return !isExhausted && norm <= threshold && decreasing >= settledSteps && samePattern >= settledSteps
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
        samePattern = 0
    }
}
