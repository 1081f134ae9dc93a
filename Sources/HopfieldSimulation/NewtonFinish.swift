import Hopfield

/// Finishes trajectories near a steady state with Newton–Krylov on `f(x) = 0`, keeping the result only
/// when it is safe (docs/performance-auto.md).
///
/// For every row `x_h` of a batch (the states where integrators hand off) it runs inexact Newton
///
///     solve  S J T S⁻¹ z = −S f(x_k)   by GMRES (matrix-free, the analytic J v),
///     x_{k+1} = x_k + T S⁻¹ z,   S = diag(1 / (atol + rtol |x_k|)),  T = diag(τ)
///
/// GMRES minimises the weighted residual `‖S (J Δ + f)‖` (the steady-state test's norm) of an operator
/// similar to `T J` (for a Lagrangian network `T J = −I + C H`, free of the time-constant ratio).
/// Clamped units are held (`Δ_i = 0`: their rows of `f` and `J` are zero, so the Krylov vectors stay
/// on the free units). Every Newton iteration evaluates all unfinished rows in one
/// batched call, and every GMRES iteration one batched Jacobian–vector product. The result `x*` replaces
/// `x_h` only when
///
/// 1. every iteration shrank the residual: `‖f(x_{k+1})‖ ≤ c_r ‖f(x_k)‖`, and `‖f(x*)‖_WRMS ≤` the target;
/// 2. the correction is small against the distance travelled: `‖x* − x_h‖ ≤ c ‖x_h − x_0‖`;
/// 3. the dominant pattern (``patternSignature(of:)``) of `x*` is that of `x_h`;
/// 4. the energy did not rise: `E(x*) ≤ E(x_h) + G(x_h)`, `G = Σ_i |∂E/∂x_i| (rtol |x_i| + atol)`;
/// 5. `x*` is a stable fixed point: the smallest Ritz value of a few Lanczos iterations on the energy
///    Hessian `∇²E(x*)` (forward differences of the analytic gradient) is not negative. Along any flow
///    with `dE/dt ≤ 0` a fixed point where `∇²E` has a negative direction is unstable (a saddle).
///
/// Norms are weighted RMS norms with the weights `1 / (atol + rtol |x_i|)` of the steady-state test.
/// Every workspace is allocated in `init`; ``polish(_:initialStates:rows:relativeTolerance:absoluteTolerance:)``
/// allocates only its result array.
public final class NewtonFinish {
    /// The length of one state, `n`.
    public let dimension: Int
    /// The largest number of rows one call polishes.
    public let capacity: Int
    /// The options in force.
    public let options: NewtonFinishOptions
    /// The flat-state ranges whose argmax makes the dominant pattern (see ``patternSignature(of:)``).
    public let patternRanges: [Range<Int>]

    private let evaluator: any ModelEvaluator
    private let tau: [Double]
    private let free: [Bool]
    private let n: Int
    private let krylov: Int
    private let lanczos: Int

    // [capacity, n]
    private let x: UnsafeMutableBufferPointer<Double>
    private let f: UnsafeMutableBufferPointer<Double>
    private let trial: UnsafeMutableBufferPointer<Double>
    private let trialF: UnsafeMutableBufferPointer<Double>
    private let packX: UnsafeMutableBufferPointer<Double>
    private let packV: UnsafeMutableBufferPointer<Double>
    private let packOut: UnsafeMutableBufferPointer<Double>
    private let gradient: UnsafeMutableBufferPointer<Double>
    private let weights: UnsafeMutableBufferPointer<Double>  // s = 1 / (atol + rtol |x|) of the current iterate
    private let basis: [UnsafeMutableBufferPointer<Double>]  // krylov + 1 (GMRES), reused by Lanczos
    // [capacity]
    private let packEnergies: UnsafeMutableBufferPointer<Double>
    private let packRates: UnsafeMutableBufferPointer<Double>
    // Per row, small dense parts of GMRES and Lanczos.
    private var hessenberg: [Double]  // [capacity, krylov + 1, krylov], column-major per row
    private var cosines: [Double]
    private var sines: [Double]
    private var rhs: [Double]  // [capacity, krylov + 1]
    private var alphas: [Double]  // [capacity, lanczos]
    private var betas: [Double]  // [capacity, lanczos]
    private var rowList: [Int]

    /// Prepares a finisher for `model` with workspaces for `capacity` rows.
    ///
    /// - Parameters:
    ///   - model: the model whose steady states are polished.
    ///   - capacity: the largest number of rows one call polishes (at least 1).
    ///   - options: the safeguards and limits.
    public convenience init(model: any DynamicalModel, capacity: Int, options: NewtonFinishOptions = .init()) {
        self.init(
            evaluator: model.makeEvaluator(capacity: max(capacity, 1)), timeConstants: model.timeConstants,
            clampMask: model.clampMask,
            patternRanges: Self.patternRanges(variables: model.variables, timeConstants: model.timeConstants),
            options: options)
    }

    /// Prepares a finisher over an evaluator.
    ///
    /// - Parameters:
    ///   - evaluator: evaluates the model; its capacity bounds the rows of one call.
    ///   - timeConstants: `τ` per unit (the left preconditioner), `n` entries.
    ///   - clampMask: clamped units (held), `n` entries.
    ///   - patternRanges: the flat-state ranges whose argmax makes the dominant pattern.
    ///   - capacity: the largest number of rows one call polishes (default and at most the evaluator's).
    ///   - options: the safeguards and limits.
    public init(
        evaluator: any ModelEvaluator, timeConstants: [Double], clampMask: [Bool], patternRanges: [Range<Int>],
        capacity: Int? = nil, options: NewtonFinishOptions = .init()
    ) {
        let n = evaluator.dimension
        precondition(timeConstants.count == n && clampMask.count == n, "NewtonFinish: τ and clamp mask need \(n) entries")
        self.evaluator = evaluator
        dimension = n
        self.n = n
        self.capacity = max(1, min(evaluator.capacity, capacity ?? evaluator.capacity))
        self.options = options
        self.patternRanges = patternRanges.filter { $0.count > 1 && $0.lowerBound >= 0 && $0.upperBound <= n }
        tau = timeConstants
        free = clampMask.map { !$0 }
        krylov = max(1, min(options.krylovDimension, n))
        lanczos = max(0, min(options.stabilityIterations, n))
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
            b.initialize(repeating: 0)
            return UnsafeMutableBufferPointer(rebasing: b[0 ..< count])
        }
        let size = self.capacity * n
        x = buffer(size)
        f = buffer(size)
        trial = buffer(size)
        trialF = buffer(size)
        packX = buffer(size)
        packV = buffer(size)
        packOut = buffer(size)
        gradient = buffer(size)
        weights = buffer(size)
        basis = (0 ..< max(krylov + 1, lanczos + 1)).map { _ in buffer(size) }
        let rows = self.capacity
        packEnergies = buffer(rows)
        packRates = buffer(rows)
        hessenberg = Array(repeating: 0, count: rows * (krylov + 1) * krylov)
        cosines = Array(repeating: 0, count: rows * krylov)
        sines = Array(repeating: 0, count: rows * krylov)
        rhs = Array(repeating: 0, count: rows * (krylov + 1))
        alphas = Array(repeating: 0, count: rows * max(lanczos, 1))
        betas = Array(repeating: 0, count: rows * max(lanczos, 1))
        rowList = []
        rowList.reserveCapacity(rows)
    }

    deinit {
        for b in [x, f, trial, trialF, packX, packV, packOut, gradient, weights, packEnergies, packRates] + basis {
            b.baseAddress?.deallocate()
        }
    }

    /// The ranges of the variables that make the dominant pattern: the variables with the smallest time
    /// constant (the fastest layer — a network's memory layer, whose argmax is the retrieved memory)
    /// when the time constants differ, otherwise every variable; variables of one unit are left out.
    ///
    /// - Parameters:
    ///   - variables: the model's variables.
    ///   - timeConstants: `τ` per unit.
    public static func patternRanges(variables: [ModelVariable], timeConstants: [Double]) -> [Range<Int>] {
        let sized = variables.filter { $0.size > 1 }
        func tauOf(_ v: ModelVariable) -> Double { timeConstants[v.range].min() ?? 1 }
        guard let fastest = sized.map(tauOf).min() else { return [] }
        let slowest = sized.map(tauOf).max() ?? fastest
        if fastest == slowest { return sized.map(\.range) }
        return sized.filter { tauOf($0) == fastest }.map(\.range)
    }

    /// A signature of the dominant pattern of one state: the argmax of each of ``patternRanges``,
    /// combined into one integer (equal patterns give equal signatures).
    ///
    /// - Parameters:
    ///   - state: one state, `n` entries.
    public func patternSignature(of state: UnsafeBufferPointer<Double>) -> Int {
        var signature = 0
        for range in patternRanges {
            var best = range.lowerBound
            var value = -Double.infinity
            for i in range where state[i] > value {
                value = state[i]
                best = i
            }
            signature = signature &* 1_000_003 &+ (best - range.lowerBound + 1)
        }
        return signature
    }

    /// `‖v‖_WRMS` with weights `1 / (atol + rtol |x_i|)` over all `n` units (the steady-state test's norm).
    ///
    /// - Parameters:
    ///   - v: the vector (e.g. `ẋ`), `n` entries.
    ///   - x: the state that sets the weights, `n` entries.
    ///   - relativeTolerance: rtol.
    ///   - absoluteTolerance: atol.
    public static func weightedNorm(
        _ v: UnsafeBufferPointer<Double>, at x: UnsafeBufferPointer<Double>, relativeTolerance: Double,
        absoluteTolerance: Double
    ) -> Double {
        guard !v.isEmpty else { return 0 }
        var sum = 0.0
        for i in 0 ..< v.count {
            let w = v[i] / (absoluteTolerance + relativeTolerance * abs(x[i]))
            sum += w * w
        }
        return (sum / Double(v.count)).squareRoot()
    }

    // MARK: Polishing

    /// Polishes the first `rows` rows of `states` in place: a row whose Newton result passes every
    /// safeguard is replaced by it; any other row is left as it was.
    ///
    /// - Parameters:
    ///   - states: the hand-off states `x_h`, row-major `[rows, n]`; polished rows are overwritten.
    ///   - initialStates: the initial states `x_0` of the same trajectories, `[rows, n]`.
    ///   - rows: the number of rows, at most ``capacity``.
    ///   - rtol: the integration's relative tolerance (weights and the energy bound).
    ///   - atol: the integration's absolute tolerance.
    /// - Returns: one outcome per row.
    public func polish(
        _ states: UnsafeMutableBufferPointer<Double>, initialStates: UnsafeBufferPointer<Double>, rows: Int,
        relativeTolerance rtol: Double, absoluteTolerance atol: Double
    ) -> [NewtonFinishOutcome] {
        precondition(rows <= capacity, "NewtonFinish: \(rows) rows exceed the capacity \(capacity)")
        precondition(states.count >= rows * n && initialStates.count >= rows * n, "NewtonFinish: short buffers")
        guard rows > 0 else { return [] }
        var outcomes = [NewtonFinishOutcome](
            repeating: NewtonFinishOutcome(
                refusal: nil, iterations: 0, evaluations: 0, jacobianProducts: 0, initialResidual: 0, finalResidual: 0,
                correctionRatio: nil, curvature: nil),
            count: rows)
        let m = rows * n
        x.baseAddress!.update(from: states.baseAddress!, count: m)

        // The hand-off state: f, E and ∂E/∂x in one monitored evaluation.
        var handoffEnergy = [Double](repeating: 0, count: rows)
        var handoffBound = [Double](repeating: 0, count: rows)
        rowList.removeAll(keepingCapacity: true)
        rowList.append(contentsOf: 0 ..< rows)
        evaluateMonitored(rowList, at: x, into: f)
        var residual = [Double](repeating: 0, count: rows)
        for r in 0 ..< rows {
            handoffEnergy[r] = packEnergies[r]
            var bound = 0.0
            for i in r * n ..< (r + 1) * n { bound += abs(gradient[i]) * (rtol * abs(x[i]) + atol) }
            handoffBound[r] = bound
            residual[r] = norm(f, row: r, weightsAt: x, rtol, atol)
            outcomes[r].evaluations = 1
            outcomes[r].initialResidual = residual[r]
            outcomes[r].finalResidual = residual[r]
        }

        // Newton iterations over the rows not yet converged or refused.
        var newton = (0 ..< rows).filter { residual[$0] > options.residualTarget && residual[$0].isFinite }
        for r in 0 ..< rows where !residual[r].isFinite { outcomes[r].refusal = .residualGrew }
        var iteration = 0
        while !newton.isEmpty && iteration < options.maxIterations {
            iteration += 1
            gmres(newton, rtol: rtol, atol: atol, residuals: residual, outcomes: &outcomes)
            // trial = x + Δ (Δ in basis[0] after gmres), then f(trial) for all rows together.
            for r in newton {
                outcomes[r].iterations = iteration
                let delta = basis[0]
                for i in r * n ..< (r + 1) * n { trial[i] = x[i] + (free[i - r * n] ? delta[i] : 0) }
            }
            evaluate(newton, at: trial, into: trialF)
            var next: [Int] = []
            for r in newton {
                outcomes[r].evaluations += 1
                let value = norm(trialF, row: r, weightsAt: trial, rtol, atol)
                guard value.isFinite, value <= options.contraction * residual[r] else {
                    outcomes[r].refusal = .residualGrew
                    outcomes[r].finalResidual = value
                    continue
                }
                residual[r] = value
                outcomes[r].finalResidual = value
                let lo = r * n
                (x.baseAddress! + lo).update(from: trial.baseAddress! + lo, count: n)
                (f.baseAddress! + lo).update(from: trialF.baseAddress! + lo, count: n)
                if value > options.residualTarget { next.append(r) }
            }
            newton = next
        }
        for r in newton { outcomes[r].refusal = .notConverged }

        // Safeguards 2–4 on the converged rows.
        var candidates: [Int] = []
        for r in 0 ..< rows where outcomes[r].refusal == nil {
            let lo = r * n
            var correction = 0.0, travelled = 0.0
            for i in lo ..< lo + n {
                let w = 1 / (atol + rtol * abs(states[i]))
                correction += ((x[i] - states[i]) * w) * ((x[i] - states[i]) * w)
                travelled += ((states[i] - initialStates[i]) * w) * ((states[i] - initialStates[i]) * w)
            }
            let ratio = travelled > 0 ? (correction / travelled).squareRoot() : (correction > 0 ? .infinity : 0)
            outcomes[r].correctionRatio = ratio
            if !(ratio <= options.correctionRatio) {
                outcomes[r].refusal = .correctionTooLarge
                continue
            }
            let before = patternSignature(of: UnsafeBufferPointer(rebasing: states[lo ..< lo + n]))
            let after = patternSignature(of: UnsafeBufferPointer(rebasing: x[lo ..< lo + n]))
            if before != after {
                outcomes[r].refusal = .patternChanged
                continue
            }
            candidates.append(r)
        }
        if !candidates.isEmpty {
            // E(x*) and ∇E(x*) (the base of the Hessian's differences), all candidates together.
            evaluateMonitored(candidates, at: x, into: packOut, packedOutput: true)
            var kept: [Int] = []
            for (p, r) in candidates.enumerated() {
                outcomes[r].evaluations += 1
                // ∇E(x*) into the row's slot of `trialF`, the base of the Hessian's differences.
                (trialF.baseAddress! + r * n).update(from: gradient.baseAddress! + p * n, count: n)
                let energy = packEnergies[p]
                outcomes[r].energy = energy
                outcomes[r].rate = packRates[p]
                let slack = handoffBound[r] + 1e-13 * max(1, abs(handoffEnergy[r]))
                if !(energy <= handoffEnergy[r] + slack) {
                    outcomes[r].refusal = .energyRose
                } else {
                    kept.append(r)
                }
            }
            if lanczos > 0 && !kept.isEmpty {
                let curvatures = stability(kept, outcomes: &outcomes)
                for (p, r) in kept.enumerated() {
                    outcomes[r].curvature = curvatures[p]
                    if !(curvatures[p] >= -options.stabilityTolerance) { outcomes[r].refusal = .unstable }
                }
            }
        }
        for r in 0 ..< rows where outcomes[r].refusal == nil {
            let lo = r * n
            (states.baseAddress! + lo).update(from: x.baseAddress! + lo, count: n)
        }
        return outcomes
    }

    /// `∂E/∂x` at the Newton result of row `r` of the last ``polish(_:initialStates:rows:relativeTolerance:absoluteTolerance:)``
    /// call, for a row it polished (`n` entries; valid until the next call).
    ///
    /// - Parameters:
    ///   - r: the row.
    public func resultGradient(row r: Int) -> UnsafePointer<Double> { UnsafePointer(trialF.baseAddress! + r * n) }

    // MARK: GMRES (one Krylov space per row, all rows' products in one call)

    /// Solves `S J T S⁻¹ z = −S f` for the rows `list` to `‖S (J Δ + f)‖ ≤ η ‖S f‖`, leaving
    /// `Δ_r = T S⁻¹ z_r` in row `r` of `basis[0]` (after the basis is no longer needed). The forcing term asks for just the
    /// accuracy the residual target needs: `η = clamp(0.5 · target / ‖f‖_WRMS, 1e-6, 0.1)`.
    private func gmres(_ list: [Int], rtol: Double, atol: Double, residuals: [Double], outcomes: inout [NewtonFinishOutcome]) {
        let k = krylov
        let hStride = (k + 1) * k
        var beta0 = [Double](repeating: 0, count: list.count)
        var eta = [Double](repeating: 0, count: list.count)
        var used = [Int](repeating: 0, count: list.count)
        var active: [Int] = []
        let v0 = basis[0]
        for (p, r) in list.enumerated() {
            var sum = 0.0
            for i in r * n ..< (r + 1) * n {
                weights[i] = 1 / (atol + rtol * abs(x[i]))
                let value = free[i - r * n] ? -weights[i] * f[i] : 0
                v0[i] = value
                sum += value * value
            }
            let beta = sum.squareRoot()
            beta0[p] = beta
            eta[p] = min(0.1, max(1e-6, 0.5 * options.residualTarget / max(residuals[r], .leastNormalMagnitude)))
            for j in 0 ... k { rhs[r * (k + 1) + j] = 0 }
            rhs[r * (k + 1)] = beta
            if beta > 0 {
                for i in r * n ..< (r + 1) * n { v0[i] /= beta }
                active.append(p)
            }
        }
        var j = 0
        while !active.isEmpty && j < k {
            // w = D J v_j for every active row, one batched product.
            let rows = active.map { list[$0] }
            jacobianProducts(rows, direction: basis[j], into: basis[j + 1])
            var still: [Int] = []
            for p in active {
                let r = list[p]
                outcomes[r].jacobianProducts += 1
                let lo = r * n, hi = lo + n
                let w = basis[j + 1]
                let hBase = r * hStride
                // Modified Gram–Schmidt.
                for i in 0 ... j {
                    let vi = basis[i]
                    var dot = 0.0
                    for q in lo ..< hi { dot += w[q] * vi[q] }
                    for q in lo ..< hi { w[q] -= dot * vi[q] }
                    hessenberg[hBase + i + j * (k + 1)] = dot
                }
                var sum = 0.0
                for q in lo ..< hi { sum += w[q] * w[q] }
                let length = sum.squareRoot()
                hessenberg[hBase + (j + 1) + j * (k + 1)] = length
                if length > 0 { for q in lo ..< hi { w[q] /= length } }
                // Earlier rotations, then a new one that zeroes H[j+1, j].
                let cBase = r * k
                for i in 0 ..< j {
                    let a = hessenberg[hBase + i + j * (k + 1)], b = hessenberg[hBase + i + 1 + j * (k + 1)]
                    hessenberg[hBase + i + j * (k + 1)] = cosines[cBase + i] * a + sines[cBase + i] * b
                    hessenberg[hBase + i + 1 + j * (k + 1)] = -sines[cBase + i] * a + cosines[cBase + i] * b
                }
                let a = hessenberg[hBase + j + j * (k + 1)], b = length
                let radius = (a * a + b * b).squareRoot()
                let c = radius > 0 ? a / radius : 1, s = radius > 0 ? b / radius : 0
                cosines[cBase + j] = c
                sines[cBase + j] = s
                hessenberg[hBase + j + j * (k + 1)] = radius
                hessenberg[hBase + j + 1 + j * (k + 1)] = 0
                let g = rhs[r * (k + 1) + j]
                rhs[r * (k + 1) + j] = c * g
                rhs[r * (k + 1) + j + 1] = -s * g
                used[p] = j + 1
                let estimate = abs(rhs[r * (k + 1) + j + 1])
                if estimate > eta[p] * beta0[p] && length > 1e-14 * beta0[p] { still.append(p) }
            }
            active = still
            j += 1
        }
        // y = R⁻¹ g; Δ = Σ y_i v_i, into basis[0] row by row (v_0 is read before it is overwritten).
        var y = [Double](repeating: 0, count: k)
        for (p, r) in list.enumerated() {
            let lo = r * n, hi = lo + n
            let size = used[p]
            let hBase = r * hStride
            for i in stride(from: size - 1, through: 0, by: -1) {
                var s = rhs[r * (k + 1) + i]
                for c in i + 1 ..< size { s -= hessenberg[hBase + i + c * (k + 1)] * y[c] }
                let d = hessenberg[hBase + i + i * (k + 1)]
                y[i] = d != 0 ? s / d : 0
            }
            let out = basis[0]
            if size == 0 {
                for q in lo ..< hi { out[q] = 0 }
                continue
            }
            for q in lo ..< hi {
                var s = 0.0
                for i in 0 ..< size { s += y[i] * basis[i][q] }
                out[q] = tau[q - lo] * s / weights[q]
            }
        }
    }

    // MARK: Stability (Lanczos on the energy Hessian)

    /// The smallest Ritz value of `∇²E(x_r)`, divided by the largest in modulus, for the rows `list`
    /// (their gradients `∇E(x_r)` are in row `r` of `trialF`).
    ///
    ///     ∇²E q ≈ (∇E(x + ε q) − ∇E(x)) / ε,   ε = 1e-7 · max(1, ‖x‖₂)
    ///
    /// Lanczos with full reorthogonalisation from a fixed pseudo-random start on the free units; the
    /// extreme eigenvalues of the tridiagonal matrix come from Sturm bisection.
    private func stability(_ list: [Int], outcomes: inout [NewtonFinishOutcome]) -> [Double] {
        let count = list.count
        let steps = lanczos
        let base = trialF  // ∇E(x_r) at row r's slot
        var epsilon = [Double](repeating: 0, count: count)
        var generator = SplitMix64(seed: 0x5EED_1A9C_705)
        for (p, r) in list.enumerated() {
            let lo = r * n
            var sum = 0.0, size = 0.0
            for i in lo ..< lo + n {
                let value = free[i - lo] ? generator.nextUniform() - 0.5 : 0
                basis[0][i] = value
                sum += value * value
                size += x[i] * x[i]
            }
            let length = sum.squareRoot()
            if length > 0 { for i in lo ..< lo + n { basis[0][i] /= length } }
            epsilon[p] = 1e-7 * max(1, size.squareRoot())
        }
        var active = Array(0 ..< count)
        var lengths = [Int](repeating: 0, count: count)
        for j in 0 ..< steps {
            guard !active.isEmpty else { break }
            // trial = x + ε q_j, one monitored evaluation for every active row.
            let rows = active.map { list[$0] }
            for p in active {
                let lo = list[p] * n
                for i in lo ..< lo + n { trial[i] = x[i] + epsilon[p] * basis[j][i] }
            }
            evaluateMonitored(rows, at: trial, into: packOut, packedOutput: true)
            var still: [Int] = []
            for (slot, p) in active.enumerated() {
                let r = list[p]
                outcomes[r].evaluations += 1
                let lo = r * n
                let w = basis[j + 1]
                for i in lo ..< lo + n { w[i] = (gradient[slot * n + i - lo] - base[i]) / epsilon[p] }
                // α_j = q_jᵀ w; full reorthogonalisation against q_0 … q_j.
                var alpha = 0.0
                for i in lo ..< lo + n { alpha += w[i] * basis[j][i] }
                alphas[r * steps + j] = alpha
                for _ in 0 ..< 2 {
                    for q in 0 ... j {
                        var dot = 0.0
                        for i in lo ..< lo + n { dot += w[i] * basis[q][i] }
                        for i in lo ..< lo + n { w[i] -= dot * basis[q][i] }
                    }
                }
                var sum = 0.0
                for i in lo ..< lo + n { sum += w[i] * w[i] }
                let beta = sum.squareRoot()
                betas[r * steps + j] = beta
                lengths[p] = j + 1
                if beta > 1e-10 * max(abs(alpha), 1e-300) && j + 1 < steps && j + 1 < n {
                    for i in lo ..< lo + n { w[i] /= beta }
                    still.append(p)
                }
            }
            active = still
        }
        return list.enumerated().map { p, r in
            let size = lengths[p]
            guard size > 0 else { return 0 }
            let a = Array(alphas[r * steps ..< r * steps + size])
            let b = Array(betas[r * steps ..< r * steps + size - 1])
            let (lowest, highest) = Self.extremeEigenvalues(diagonal: a, offDiagonal: b)
            let scale = max(abs(lowest), abs(highest))
            return scale > 0 ? lowest / scale : 0
        }
    }

    /// The smallest and largest eigenvalues of a symmetric tridiagonal matrix, by Sturm bisection.
    static func extremeEigenvalues(diagonal a: [Double], offDiagonal b: [Double]) -> (Double, Double) {
        let m = a.count
        guard m > 0 else { return (0, 0) }
        var lo = Double.infinity, hi = -Double.infinity
        for i in 0 ..< m {  // Gershgorin
            let radius = (i > 0 ? abs(b[i - 1]) : 0) + (i < m - 1 ? abs(b[i]) : 0)
            lo = min(lo, a[i] - radius)
            hi = max(hi, a[i] + radius)
        }
        /// The number of eigenvalues below `s`.
        func below(_ s: Double) -> Int {
            var count = 0
            var d = 1.0
            for i in 0 ..< m {
                d = a[i] - s - (i > 0 ? b[i - 1] * b[i - 1] / d : 0)
                if d == 0 { d = -1e-300 }
                if d < 0 { count += 1 }
            }
            return count
        }
        func bisect(_ index: Int) -> Double {  // the eigenvalue with `index` eigenvalues below it
            var left = lo, right = hi
            for _ in 0 ..< 200 {
                let mid = 0.5 * (left + right)
                if mid == left || mid == right { break }
                if below(mid) > index { right = mid } else { left = mid }
            }
            return 0.5 * (left + right)
        }
        return (bisect(0), bisect(m - 1))
    }

    // MARK: Batched evaluations over a list of rows

    /// `f` of the rows `list` of `state` into the same rows of `out`.
    private func evaluate(_ list: [Int], at state: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let count = list.count
        if isIdentity(list) {
            evaluator.vectorField(
                UnsafeBufferPointer(rebasing: state[0 ..< count * n]),
                into: UnsafeMutableBufferPointer(rebasing: out[0 ..< count * n]))
            return
        }
        pack(list, from: state, into: packX)
        evaluator.vectorField(
            UnsafeBufferPointer(rebasing: packX[0 ..< count * n]),
            into: UnsafeMutableBufferPointer(rebasing: packOut[0 ..< count * n]))
        unpack(list, from: packOut, into: out)
    }

    /// `f`, `E`, `dE/dt` and `∂E/∂x` of the rows `list` of `state`: `f` into the same rows of `out` (or
    /// packed, in list order, when `packedOutput`), energies and gradients packed in list order
    /// (`packEnergies`, `gradient`).
    private func evaluateMonitored(
        _ list: [Int], at state: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
        packedOutput: Bool = false
    ) {
        let count = list.count
        let identity = isIdentity(list)
        if !identity { pack(list, from: state, into: packX) }
        let input = identity ? state : packX
        let output = identity || packedOutput ? out : packOut
        evaluator.vectorField(
            UnsafeBufferPointer(rebasing: input[0 ..< count * n]),
            into: UnsafeMutableBufferPointer(rebasing: output[0 ..< count * n]),
            energies: UnsafeMutableBufferPointer(rebasing: packEnergies[0 ..< count]),
            rates: UnsafeMutableBufferPointer(rebasing: packRates[0 ..< count]),
            gradients: UnsafeMutableBufferPointer(rebasing: gradient[0 ..< count * n]))
        if !identity && !packedOutput { unpack(list, from: packOut, into: out) }
    }

    /// `S J(x_r) T S⁻¹ v_r` for the rows `list`: `v` from `direction`, the product into the same rows of `out`.
    private func jacobianProducts(_ list: [Int], direction: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let count = list.count
        pack(list, from: x, into: packX)
        for (p, r) in list.enumerated() {
            for i in 0 ..< n { packV[p * n + i] = free[i] ? tau[i] * direction[r * n + i] / weights[r * n + i] : 0 }
        }
        evaluator.jacobianVectorProduct(
            at: UnsafeBufferPointer(rebasing: packX[0 ..< count * n]), UnsafeBufferPointer(rebasing: packV[0 ..< count * n]),
            into: UnsafeMutableBufferPointer(rebasing: packOut[0 ..< count * n]))
        for (p, r) in list.enumerated() {
            for i in 0 ..< n { out[r * n + i] = free[i] ? weights[r * n + i] * packOut[p * n + i] : 0 }
        }
    }

    private func isIdentity(_ list: [Int]) -> Bool {
        for (p, r) in list.enumerated() where p != r { return false }
        return true
    }

    private func pack(_ list: [Int], from source: UnsafeMutableBufferPointer<Double>, into target: UnsafeMutableBufferPointer<Double>) {
        for (p, r) in list.enumerated() {
            (target.baseAddress! + p * n).update(from: source.baseAddress! + r * n, count: n)
        }
    }

    private func unpack(_ list: [Int], from source: UnsafeMutableBufferPointer<Double>, into target: UnsafeMutableBufferPointer<Double>) {
        for (p, r) in list.enumerated() {
            (target.baseAddress! + r * n).update(from: source.baseAddress! + p * n, count: n)
        }
    }

    private func norm(_ v: UnsafeMutableBufferPointer<Double>, row r: Int, weightsAt state: UnsafeMutableBufferPointer<Double>, _ rtol: Double, _ atol: Double) -> Double {
        let lo = r * n
        return Self.weightedNorm(
            UnsafeBufferPointer(rebasing: v[lo ..< lo + n]), at: UnsafeBufferPointer(rebasing: state[lo ..< lo + n]),
            relativeTolerance: rtol, absoluteTolerance: atol)
    }
}
