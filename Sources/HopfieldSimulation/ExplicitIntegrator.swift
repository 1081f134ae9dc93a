import Foundation
import Hopfield

/// Integrates a batch of trajectories with the Tsit5 pair (``Tsit5Tableau``), every trajectory with its
/// own step size and error control, all of them evaluated together.
///
/// A general integrator over any ``ModelEvaluator`` (beside `Sundials.integrate`). Each stage evaluates
/// the vector field of every unfinished trajectory in one batched call (for a network two GEMMs per
/// synapse). A trajectory that reaches `endTime`, its steady
/// state or a failure leaves the batch: the last unfinished row moves into its slot, so the products
/// shrink as trajectories finish.
///
/// Error control per trajectory (Hairer, Nørsett & Wanner, *Solving ODEs I*, II.4; DOPRI5's controller):
///
///     err = ‖h Σ_i e_i k_i‖_RMS  with weights  1 / (atol + rtol · max(|y_i|, |y₁,i|))
///     accept when err ≤ 1;  h_new = h · clamp(0.9 · err^{−(0.2 − 0.75β)} · err_prev^{β}, 0.2, 10),  β = 0.04
///
/// (after a rejection the step does not grow, and a rejected step shrinks by `clamp(0.9 err^{−0.17}, 0.2, 1)`).
/// The first step comes from Hairer's starting-step algorithm (two evaluations). At every accepted step the
/// monitor (``LyapunovMonitor``) records `E`, `dE/dt` and `∇E` at the new state (from the FSAL stage,
/// which evaluates them with the vector field), so it sees every internal step as it does for CVODE.
/// Saved states between steps come from the fourth-order dense output.
final class ExplicitIntegrator {
    private let evaluator: any ModelEvaluator
    private let options: RunSettings
    private let variables: [ModelVariable]
    private let n: Int
    private let capacity: Int
    private let saveTimes: [Double]

    // [capacity, n] buffers
    private let y: UnsafeMutableBufferPointer<Double>
    private let y1: UnsafeMutableBufferPointer<Double>
    private let stage: UnsafeMutableBufferPointer<Double>
    private let k: [UnsafeMutableBufferPointer<Double>]
    private let gradients: UnsafeMutableBufferPointer<Double>
    private let energies: UnsafeMutableBufferPointer<Double>
    private let rates: UnsafeMutableBufferPointer<Double>

    // Per slot (row of the buffers).
    private var t: [Double]
    private var h: [Double]
    private var previousError: [Double]
    private var rejectedLast: [Bool]
    private var trajectory: [Int]
    private var finished: [Bool]

    // Per trajectory.
    private var monitor: LyapunovMonitor
    private var statistics: [ExplicitStatistics]
    private var status: [SolverStatus]
    private var saved: [[Double]]
    private var savedTimes: [[Double]]
    private var finalStates: [[Double]]
    private var finalTimes: [Double]

    /// The automatic method's trackers and Newton finish (nil: plain Tsit5).
    private let supervisor: AutoSupervisor?
    /// Slots handed to the Newton finish at this attempt.
    private var pendingNewton: [Int] = []

    /// For a state split over processes (``SplitMemoryEvaluator``): the norms of the error test, the
    /// starting step, the stiffness estimate and the steady-state test are summed over the processes
    /// (every process then takes the same steps); nil for a whole state (no reduction: the code of one
    /// process). Capacity 1.
    private let reduction: (any PartialReduction)?
    /// The length of the whole state, the `n` of the RMS norms.
    private let normCount: Int
    /// The reductions' buffer (3 numbers).
    private let partials: UnsafeMutableBufferPointer<Double>
    /// `ρ` of the last concluded step when the state is split (its sums travel with the error's).
    private var splitStiffness = 0.0

    /// Prepares workspaces for up to `capacity` trajectories.
    ///
    /// - Parameters:
    ///   - supervisor: for ``SimulationAlgorithm/auto``: decides after every accepted step whether a
    ///     trajectory is handed to the Newton finish or leaves for BDF.
    ///   - reduction: for a state split over processes: reduces every norm across them (capacity 1,
    ///     no supervisor); `globalDimension` is then the whole state's length.
    init(
        evaluator: any ModelEvaluator, variables: [ModelVariable], capacity: Int, options: RunSettings,
        supervisor: AutoSupervisor? = nil, reduction: (any PartialReduction)? = nil, globalDimension: Int? = nil
    ) {
        precondition(reduction == nil || (capacity <= 1 && supervisor == nil), "ExplicitIntegrator: a split state runs alone")
        self.reduction = reduction
        normCount = globalDimension ?? evaluator.dimension
        partials = .allocate(capacity: 3)
        partials.initialize(repeating: 0)
        self.supervisor = supervisor
        self.evaluator = evaluator
        self.variables = variables
        self.options = options
        n = evaluator.dimension
        self.capacity = max(capacity, 1)
        saveTimes = options.saveTimes
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
            b.initialize(repeating: 0)
            return UnsafeMutableBufferPointer(rebasing: b[0 ..< count])
        }
        let size = self.capacity * n
        y = buffer(size)
        y1 = buffer(size)
        stage = buffer(size)
        k = (0 ..< 7).map { _ in buffer(size) }
        gradients = buffer(size)
        energies = buffer(self.capacity)
        rates = buffer(self.capacity)
        t = []
        h = []
        previousError = []
        rejectedLast = []
        trajectory = []
        finished = []
        monitor = LyapunovMonitor(count: 0, dimension: 0, relativeTolerance: 0, absoluteTolerance: 0, safetyFactor: 1, function: nil)
        statistics = []
        status = []
        saved = []
        savedTimes = []
        finalStates = []
        finalTimes = []
    }

    deinit {
        for b in [y, y1, stage, gradients, energies, rates, partials] + k { b.baseAddress?.deallocate() }
    }

    /// Integrates every initial state (at most `capacity`) and returns one result per state, in order.
    func run(_ initialStates: [[Double]], progress: ((Int) -> Void)? = nil) -> [TrajectorySolution] {
        let count = initialStates.count
        precondition(count <= capacity, "ExplicitIntegrator: \(count) states exceed the capacity \(capacity)")
        guard count > 0 else { return [] }
        setUp(initialStates)
        supervisor?.setUp(initialStates)
        var active = count
        var done = 0
        start(active)
        compact(&active, done: &done, progress: progress)
        while active > 0 {
            attempt(active)
            compact(&active, done: &done, progress: progress)
        }
        return (0 ..< count).map { b in
            var solution = TrajectorySolution(
                variables: variables, dimension: n, saveTimes: saveTimes, status: status[b], times: savedTimes[b],
                states: saved[b], finalTime: finalTimes[b], finalState: finalStates[b],
                energyTrace: monitor.traces[b].samples, lyapunovTrace: [], monitor: monitor.traces[b].report,
                statistics: .explicit(statistics[b]), dynamics: .gradient)
            solution.segments = [
                MethodSegment(method: .tsit5, startTime: 0, endTime: finalTimes[b], statistics: .explicit(statistics[b]))
            ]
            if let supervisor {
                solution.handoffTime = supervisor.handoffTimes[b]
                solution.polished = supervisor.handoffTimes[b] != nil
                solution.refusedHandoffs = supervisor.refusals[b]
                solution.switchTime = supervisor.switchTimes[b]
            }
            return solution
        }
    }

    // MARK: Setup and the first step

    private func setUp(_ initialStates: [[Double]]) {
        let count = initialStates.count
        t = Array(repeating: 0, count: count)
        h = Array(repeating: 0, count: count)
        previousError = Array(repeating: 1e-4, count: count)
        rejectedLast = Array(repeating: false, count: count)
        trajectory = Array(0 ..< count)
        finished = Array(repeating: false, count: count)
        monitor = LyapunovMonitor(
            count: count, dimension: n, relativeTolerance: options.relativeTolerance,
            absoluteTolerance: options.absoluteTolerance, safetyFactor: options.monitorSafetyFactor, function: nil,
            reduction: reduction, globalDimension: normCount)
        statistics = Array(repeating: ExplicitStatistics(), count: count)
        status = Array(repeating: .success, count: count)
        saved = (0 ..< count).map { b in
            var s: [Double] = []
            s.reserveCapacity(saveTimes.count * n)
            s.append(contentsOf: initialStates[b])
            return s
        }
        savedTimes = Array(repeating: [0], count: count)
        finalStates = initialStates
        finalTimes = Array(repeating: 0, count: count)
        for b in 0 ..< count {
            for i in 0 ..< n { y[b * n + i] = initialStates[b][i] }
        }
    }

    /// `k_1 = f(y_0)` with the monitor's first record, then Hairer's starting step:
    ///
    ///     d₀ = ‖y₀‖, d₁ = ‖f₀‖ (weights 1/(atol + rtol|y₀|));  h₀ = 0.01 d₀/d₁ (1e-6 if either < 1e-5)
    ///     d₂ = ‖f(y₀ + h₀ f₀) − f₀‖ / h₀;  h₁ = (0.01 / max(d₁, d₂))^{1/5} (max(1e-6, 1e-3 h₀) if tiny)
    ///     h = min(100 h₀, h₁, t_end, maxStep)
    private func start(_ m: Int) {
        evaluateWithMonitor(m, at: y, into: k[0])
        let rtol = options.relativeTolerance
        let atol = options.absoluteTolerance
        var h0 = [Double](repeating: 0, count: m)
        var d1s = [Double](repeating: 0, count: m)
        for r in 0 ..< m {
            record(r, state: y)
            statistics[trajectory[r]].rhsEvaluations = 2
            var d0 = 0.0
            var d1 = 0.0
            for i in r * n ..< (r + 1) * n {
                let scale = atol + rtol * abs(y[i])
                d0 += (y[i] / scale) * (y[i] / scale)
                d1 += (k[0][i] / scale) * (k[0][i] / scale)
            }
            if reduction != nil { globalSums(&d0, &d1) }
            d0 = rms(d0)
            d1 = rms(d1)
            d1s[r] = d1
            h0[r] = d0 < 1e-5 || d1 < 1e-5 || !d1.isFinite ? 1e-6 : 0.01 * d0 / d1
            for i in r * n ..< (r + 1) * n { stage[i] = y[i] + h0[r] * k[0][i] }
        }
        evaluate(m, at: stage, into: k[1])
        for r in 0 ..< m {
            var d2 = 0.0
            for i in r * n ..< (r + 1) * n {
                let difference = (k[1][i] - k[0][i]) / (atol + rtol * abs(y[i]))
                d2 += difference * difference
            }
            if reduction != nil { globalSums(&d2) }
            d2 = rms(d2) / h0[r]
            let largest = max(d1s[r], d2)
            let h1 = largest <= 1e-15 || !largest.isFinite ? max(1e-6, h0[r] * 1e-3) : pow(0.01 / largest, 0.2)
            h[r] = limited(min(100 * h0[r], h1), from: 0)
            if options.untilSteady && isSteady(r, derivative: k[0], state: y) { finish(r, .steadyState) }
        }
    }

    // MARK: One attempted step for every active trajectory

    private func attempt(_ m: Int) {
        let a = Tsit5Tableau.a
        let yp = UnsafePointer(y.baseAddress!)
        let k1 = UnsafePointer(k[0].baseAddress!), k2 = UnsafePointer(k[1].baseAddress!)
        let k3 = UnsafePointer(k[2].baseAddress!), k4 = UnsafePointer(k[3].baseAddress!)
        let k5 = UnsafePointer(k[4].baseAddress!), k6 = UnsafePointer(k[5].baseAddress!)
        let sp = stage.baseAddress!
        // Stages 2…6: y + h Σ_j a_ij k_j, then k_i = f(stage) for all rows at once.
        for s in 1 ..< 6 {
            let c = a[s - 1]
            for r in 0 ..< m {
                let hr = h[r]
                let lo = r * n, hi = lo + n
                switch s {
                case 1:
                    let c0 = hr * c[0]
                    for i in lo ..< hi { sp[i] = yp[i] + c0 * k1[i] }
                case 2:
                    let c0 = hr * c[0], c1 = hr * c[1]
                    for i in lo ..< hi { sp[i] = yp[i] + c0 * k1[i] + c1 * k2[i] }
                case 3:
                    let c0 = hr * c[0], c1 = hr * c[1], c2 = hr * c[2]
                    for i in lo ..< hi { sp[i] = yp[i] + c0 * k1[i] + c1 * k2[i] + c2 * k3[i] }
                case 4:
                    let c0 = hr * c[0], c1 = hr * c[1], c2 = hr * c[2], c3 = hr * c[3]
                    for i in lo ..< hi { sp[i] = yp[i] + c0 * k1[i] + c1 * k2[i] + c2 * k3[i] + c3 * k4[i] }
                default:
                    let c0 = hr * c[0], c1 = hr * c[1], c2 = hr * c[2], c3 = hr * c[3], c4 = hr * c[4]
                    for i in lo ..< hi {
                        sp[i] = yp[i] + c0 * k1[i] + c1 * k2[i] + c2 * k3[i] + c3 * k4[i] + c4 * k5[i]
                    }
                }
            }
            evaluate(m, at: stage, into: k[s])
        }
        // The fifth-order solution y₁ (stage 7's input); k_7 = f(y₁) with the monitor's quantities.
        let b = Tsit5Tableau.b
        let y1p = y1.baseAddress!
        for r in 0 ..< m {
            let hr = h[r]
            let c0 = hr * b[0], c1 = hr * b[1], c2 = hr * b[2], c3 = hr * b[3], c4 = hr * b[4], c5 = hr * b[5]
            for i in r * n ..< (r + 1) * n {
                y1p[i] = yp[i] + c0 * k1[i] + c1 * k2[i] + c2 * k3[i] + c3 * k4[i] + c4 * k5[i] + c5 * k6[i]
            }
        }
        evaluateWithMonitor(m, at: y1, into: k[6])
        for r in 0 ..< m { conclude(r) }
        // Newton's evaluations of a few rows read the weights as a whole batch does: wait until a
        // quarter of the active rows (at most a Newton chunk) are due together. Due rows stay due while
        // they integrate on, and the batch's last rows go one by one.
        if !pendingNewton.isEmpty, let supervisor {
            if pendingNewton.count >= max(1, min(supervisor.chunkSize, m / 4)) {
                finishWithNewton()
            } else {
                pendingNewton.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Polishes the slots handed off at this attempt (one batched Newton solve): a polished slot's state
    /// becomes the fixed point, the monitor records it, and the trajectory stops as steady; a refused
    /// one integrates on.
    private func finishWithNewton() {
        guard let supervisor else { return }
        let slots = pendingNewton.filter { !finished[$0] }
        pendingNewton.removeAll(keepingCapacity: true)
        guard !slots.isEmpty else { return }
        let yp = y.baseAddress!
        supervisor.polish(slots.map { (trajectory[$0], yp + $0 * n, t[$0]) }) { index, outcome, gradient in
            let r = slots[index]
            let b = trajectory[r]
            // Jacobian–vector products cost what an evaluation costs; both count.
            statistics[b].rhsEvaluations += outcome.evaluations + outcome.jacobianProducts
            guard let gradient else { return }  // refused: integrate on
            monitor.record(
                b, t: t[r], value: outcome.energy ?? .nan, rate: outcome.rate ?? .nan, gradient: gradient,
                state: UnsafePointer(yp + r * n))
            finish(r, .steadyState)
        }
    }

    /// Error test, controller and bookkeeping of slot `r` after its seven stages.
    private func conclude(_ r: Int) {
        let e = Tsit5Tableau.e
        let hr = h[r]
        let rtol = options.relativeTolerance
        let atol = options.absoluteTolerance
        let c0 = hr * e[0], c1 = hr * e[1], c2 = hr * e[2], c3 = hr * e[3], c4 = hr * e[4], c5 = hr * e[5], c6 = hr * e[6]
        let k1 = k[0].baseAddress!, k2 = k[1].baseAddress!, k3 = k[2].baseAddress!, k4 = k[3].baseAddress!
        let k5 = k[4].baseAddress!, k6 = k[5].baseAddress!, k7 = k[6].baseAddress!
        let yp = y.baseAddress!, y1p = y1.baseAddress!
        var sum = 0.0
        for i in r * n ..< (r + 1) * n {
            let estimate = c0 * k1[i] + c1 * k2[i] + c2 * k3[i] + c3 * k4[i] + c4 * k5[i] + c5 * k6[i] + c6 * k7[i]
            let scaled = estimate / (atol + rtol * max(abs(yp[i]), abs(y1p[i])))
            sum += scaled * scaled
        }
        if reduction != nil { splitStiffness = reducedErrorAndStiffness(r, &sum) }
        let error = rms(sum)
        let b = trajectory[r]
        statistics[b].rhsEvaluations += 6
        let beta = 0.04
        let growth = error.isFinite ? pow(max(error, 1e-300), 0.2 - 0.75 * beta) : .infinity  // err^{0.17}
        if error <= 1 {
            let endTime = options.endTime
            let reachesEnd = t[r] + hr >= endTime || endTime - (t[r] + hr) <= 1e-12 * endTime
            let newTime = reachesEnd ? endTime : t[r] + hr
            saveDenseOutput(r, from: t[r], to: newTime)
            let lo = r * n
            (yp + lo).update(from: y1p + lo, count: n)
            (k1 + lo).update(from: k7 + lo, count: n)
            t[r] = newTime
            statistics[b].steps += 1
            record(r, state: y)
            // DOPRI5's PI controller: h_new = h / clamp(err^{0.17} / (0.9 · err_prev^{0.04}), 0.1, 5).
            var factor = min(5, max(0.1, growth / pow(previousError[r], beta) / 0.9))
            if rejectedLast[r] { factor = max(factor, 1) }
            // Stay inside the stability interval: h ρ ≤ 3 (|R(−3)| = 0.39; the boundary is at −3.5).
            let rho = stiffness(r)
            var capped = false
            if rho > 0, rho.isFinite, hr * rho / Self.stableStep > factor {
                factor = hr * rho / Self.stableStep
                capped = true
            }
            previousError[r] = max(error, 1e-4)
            rejectedLast[r] = false
            if reachesEnd {
                finish(r, .success)
            } else if options.untilSteady && isSteady(r, derivative: k[0], state: y) {
                finish(r, .steadyState)
            } else {
                h[r] = limited(hr / factor, from: newTime)
                if let supervisor {
                    let decision = supervisor.afterStep(
                        b, t: newTime, rho: rho, capped: capped, state: UnsafePointer(yp + lo),
                        derivative: UnsafePointer(k1 + lo))
                    switch decision {
                    case .proceed: break
                    case .newton: pendingNewton.append(r)
                    case .switchToImplicit: finish(r, .success)
                    }
                }
            }
        } else {
            statistics[b].rejectedSteps += 1
            rejectedLast[r] = true
            let factor = min(5, growth / 0.9)  // NaN/∞ error: shrink by 5
            h[r] = limited(hr / (factor.isFinite ? max(factor, 1) : 5), from: t[r])
        }
        guard !finished[r] else { return }
        if statistics[b].steps + statistics[b].rejectedSteps >= options.maxSteps {
            finish(r, .tooMuchWork)
        } else if !(h[r] > 16 * Double.ulpOfOne * max(abs(t[r]), 1e-300)) {
            finish(r, .errorTestFailure)  // the step size fell to rounding level
        }
    }

    /// The largest `h ρ` allowed, with `ρ` the estimate of ``stiffness(_:)``: `R(−3) = 0.39` for Tsit5,
    /// whose stability interval on the negative real axis ends at −3.5.
    static var stableStep: Double { 3 }

    /// Hairer's estimate of the dominant eigenvalue's modulus along the step of slot `r` (DOPRI5's
    /// stiffness detection): stages 6 and 7 are both at `t + h`, so
    ///
    ///     ρ = ‖k_7 − k_6‖ / ‖y₁ − Y_6‖,   Y_6 the sixth stage's input (still in `stage`).
    ///
    /// Near a stable fixed point an error-controlled explicit step grows to the edge of the stability
    /// interval, where the stiffest mode neither grows nor decays and keeps `‖ẋ‖` at the tolerance's
    /// level for ever; capping `h ρ` makes that mode decay, so steady states are reached.
    private func stiffness(_ r: Int) -> Double {
        if reduction != nil { return splitStiffness }
        let (numerator, denominator) = stiffnessSums(r)
        return Self.stiffness(numerator, denominator)
    }

    /// `Σ‖k₇ − k₆‖²` and `Σ‖y₁ − y₆‖²` over slot `r`'s units, the two sums of ``stiffness(_:)``.
    @inline(__always)
    private func stiffnessSums(_ r: Int) -> (Double, Double) {
        let k6 = k[5].baseAddress!, k7 = k[6].baseAddress!, y1p = y1.baseAddress!, sp = stage.baseAddress!
        var numerator = 0.0
        var denominator = 0.0
        for i in r * n ..< (r + 1) * n {
            let dk = k7[i] - k6[i]
            let dy = y1p[i] - sp[i]
            numerator += dk * dk
            denominator += dy * dy
        }
        return (numerator, denominator)
    }

    /// `ρ = √(numerator / denominator)`, 0 when the stages coincide.
    @inline(__always)
    private static func stiffness(_ numerator: Double, _ denominator: Double) -> Double {
        denominator > 0 ? (numerator / denominator).squareRoot() : 0
    }

    /// The step from `from`, bounded by the maximum step size and by the end time (a step that would
    /// overshoot it by less than 1 % is stretched to land on it, as in DOPRI5).
    private func limited(_ step: Double, from time: Double) -> Double {
        var s = step
        if let maxStep = options.maxStepSize { s = min(s, maxStep) }
        let remaining = options.endTime - time
        if time + 1.01 * s >= options.endTime { s = remaining }
        return s
    }

    // MARK: Evaluations, records, saves

    private func evaluate(_ m: Int, at x: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        evaluator.vectorField(
            UnsafeBufferPointer(rebasing: x[0 ..< m * n]), into: UnsafeMutableBufferPointer(rebasing: out[0 ..< m * n]))
    }

    private func evaluateWithMonitor(_ m: Int, at x: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        evaluator.vectorField(
            UnsafeBufferPointer(rebasing: x[0 ..< m * n]), into: UnsafeMutableBufferPointer(rebasing: out[0 ..< m * n]),
            energies: UnsafeMutableBufferPointer(rebasing: energies[0 ..< m]),
            rates: UnsafeMutableBufferPointer(rebasing: rates[0 ..< m]),
            gradients: UnsafeMutableBufferPointer(rebasing: gradients[0 ..< m * n]))
    }

    /// The monitor's record of slot `r` at its current time: `E`, `dE/dt` and `∂E/∂x` from the last
    /// monitored evaluation.
    private func record(_ r: Int, state x: UnsafeMutableBufferPointer<Double>) {
        monitor.record(
            trajectory[r], t: t[r], value: energies[r], rate: rates[r], gradient: gradients.baseAddress! + r * n,
            state: x.baseAddress! + r * n)
    }

    /// `‖ẋ‖_WRMS ≤ 1` with weights `1 / (atol + rtol |x_i|)` (the steady-state test of the CVODE paths).
    private func isSteady(_ r: Int, derivative: UnsafeMutableBufferPointer<Double>, state x: UnsafeMutableBufferPointer<Double>) -> Bool {
        var sum = 0.0
        for i in r * n ..< (r + 1) * n {
            let weighted = derivative[i] / (options.absoluteTolerance + options.relativeTolerance * abs(x[i]))
            sum += weighted * weighted
        }
        if reduction != nil { globalSums(&sum) }
        return rms(sum) <= 1
    }

    // MARK: A state split over processes

    /// Sums the error test's sum of squares and the stiffness estimate's two sums of slot `r` over the
    /// processes in one reduction; returns `ρ` (see ``stiffness(_:)``).
    private func reducedErrorAndStiffness(_ r: Int, _ errorSum: inout Double) -> Double {
        (partials[1], partials[2]) = stiffnessSums(r)
        partials[0] = errorSum
        reduction?.sum(partials)
        errorSum = partials[0]
        return Self.stiffness(partials[1], partials[2])
    }

    /// Replaces each value by its sum over the processes (one reduction).
    private func globalSums(_ a: inout Double) {
        partials[0] = a
        reduction?.sum(UnsafeMutableBufferPointer(rebasing: partials[0 ..< 1]))
        a = partials[0]
    }

    private func globalSums(_ a: inout Double, _ b: inout Double) {
        partials[0] = a
        partials[1] = b
        reduction?.sum(UnsafeMutableBufferPointer(rebasing: partials[0 ..< 2]))
        a = partials[0]
        b = partials[1]
    }

    /// Appends the saved states in `(from, to]` of slot `r`'s trajectory: the dense output
    /// `y + h Σ_i b_i(θ) k_i` inside the step, `y₁` itself at its end.
    private func saveDenseOutput(_ r: Int, from start: Double, to end: Double) {
        let b = trajectory[r]
        let hr = h[r]
        var weights = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        while savedTimes[b].count < saveTimes.count {
            let time = saveTimes[savedTimes[b].count]
            guard time <= end else { break }
            if time == end {
                saved[b].append(contentsOf: y1[r * n ..< (r + 1) * n])
            } else {
                Tsit5Tableau.interpolationWeights((time - start) / hr, into: &weights)
                let w = (hr * weights.0, hr * weights.1, hr * weights.2, hr * weights.3, hr * weights.4,
                         hr * weights.5, hr * weights.6)
                for i in r * n ..< (r + 1) * n {
                    saved[b].append(
                        y[i] + w.0 * k[0][i] + w.1 * k[1][i] + w.2 * k[2][i] + w.3 * k[3][i] + w.4 * k[4][i]
                            + w.5 * k[5][i] + w.6 * k[6][i])
                }
            }
            savedTimes[b].append(time)
        }
    }

    // MARK: Finishing and compaction

    private func finish(_ r: Int, _ outcome: SolverStatus) {
        let b = trajectory[r]
        finished[r] = true
        status[b] = outcome
        finalTimes[b] = t[r]
        finalStates[b] = Array(y[r * n ..< (r + 1) * n])
    }

    /// Moves the last unfinished rows into the slots of finished ones, so rows `0 ..< active` are the
    /// unfinished trajectories.
    private func compact(_ active: inout Int, done: inout Int, progress: ((Int) -> Void)?) {
        var r = 0
        var newlyDone = 0
        while r < active {
            guard finished[r] else {
                r += 1
                continue
            }
            newlyDone += 1
            let last = active - 1
            if last != r {
                let from = last * n, to = r * n
                for i in 0 ..< n {
                    y[to + i] = y[from + i]
                    k[0][to + i] = k[0][from + i]
                }
                t[r] = t[last]
                h[r] = h[last]
                previousError[r] = previousError[last]
                rejectedLast[r] = rejectedLast[last]
                trajectory[r] = trajectory[last]
                finished[r] = finished[last]
            }
            active -= 1
        }
        if newlyDone > 0 {
            done += newlyDone
            progress?(done)
        }
    }

    @inline(__always)
    private func rms(_ sumOfSquares: Double) -> Double {
        normCount > 0 ? (sumOfSquares / Double(normCount)).squareRoot() : 0
    }
}
