#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Communicator {
    /// Combines every process's partial log-sum-exp into the global one, for a batch of `B` states
    /// (docs/math.md §9).
    ///
    /// Process `r` holds, for each state, partial sums over its own block of terms `μ ∈ r` (memories or
    /// random features) of numbers `a_μ` and vectors `v_μ` of length `w − 1`:
    ///
    ///     m_r = max_{μ∈r} a_μ,   S_r = Σ_{μ∈r} e^{a_μ − m_r},   V_r = Σ_{μ∈r} e^{a_μ − m_r} v_μ
    ///
    /// and afterwards every process holds the global ones:
    ///
    ///     m = max_r m_r,   S = Σ_r e^{m_r − m} S_r,   V = Σ_r e^{m_r − m} V_r
    ///
    /// so that `log Σ_μ e^{a_μ} = m + log S` and `Σ_μ softmax(a)_μ v_μ = V / S`. Costs one MAX reduction
    /// of `B` numbers and one SUM reduction of `B·w` numbers (`w = D + 1` for a memory term on a
    /// variable of size D); allocates nothing. A process without terms passes `m_r = −∞`, `S_r = 0`,
    /// `V_r = 0`. A plain process returns at once (its partial sums are the global ones).
    ///
    /// - Parameters:
    ///   - maxima: `m_r` for each state (`B` entries); overwritten with `m`.
    ///   - sums: row-major `[B, w]`, row `b` = `[S_r, V_r]` of state `b`; overwritten with `[S, V]`.
    ///   - scratch: at least `B` numbers of workspace.
    public func combineLogSumExp(
        maxima: UnsafeMutableBufferPointer<Double>, sums: UnsafeMutableBufferPointer<Double>,
        scratch: UnsafeMutableBufferPointer<Double>
    ) {
        let batch = maxima.count
        precondition(batch > 0 && sums.count % batch == 0 && scratch.count >= batch,
                     "combineLogSumExp: \(sums.count) sums, \(scratch.count) scratch for \(batch) maxima")
        guard communicates else { return }
        let factors = UnsafeMutableBufferPointer(rebasing: scratch[0 ..< batch])
        reduceMaxima(maxima, factors: factors)
        let width = sums.count / batch
        for b in 0 ..< batch where factors[b] != 1 {
            for i in b * width ..< (b + 1) * width { sums[i] *= factors[b] }
        }
        allreduce(sums, .sum)
    }

    /// The first half of ``combineLogSumExp(maxima:sums:scratch:)`` for partial sums in any layout: the
    /// global maxima and the factors that move each state's partial sums to them.
    ///
    ///     m = max_r m_r,   factor = e^{m_r − m}   (0 when m_r = −∞)
    ///
    /// Multiply every partial sum of state `b` by `factors[b]`, then SUM-reduce them all in one
    /// ``allreduce(_:_:)-(UnsafeMutableBufferPointer<Double>,_)`` (lay them out contiguously to pay
    /// one latency). One MAX reduction of `B` numbers; allocates nothing; a plain process gets factors 1.
    ///
    /// - Parameters:
    ///   - maxima: `m_r` for each of the `B` states; overwritten with `m`.
    ///   - factors: at least `B` numbers; the first `B` are overwritten with `e^{m_r − m}`.
    public func reduceMaxima(_ maxima: UnsafeMutableBufferPointer<Double>, factors: UnsafeMutableBufferPointer<Double>) {
        precondition(factors.count >= maxima.count, "reduceMaxima: \(factors.count) factors for \(maxima.count) maxima")
        for b in maxima.indices { factors[b] = maxima[b] }
        allreduce(maxima, .max)
        for b in maxima.indices { factors[b] = Self.rescaling(from: factors[b], to: maxima[b]) }
    }

    /// ``combineLogSumExp(maxima:sums:scratch:)`` on arrays (allocates its scratch; for tests and
    /// one-off use).
    ///
    /// - Parameters:
    ///   - maxima: `m_r` for each state; overwritten with `m`.
    ///   - sums: row-major `[B, w]` rows `[S_r, V_r]`; overwritten with `[S, V]`.
    public func combineLogSumExp(maxima: inout [Double], sums: inout [Double]) {
        var scratch = [Double](repeating: 0, count: maxima.count)
        maxima.withUnsafeMutableBufferPointer { m in
            sums.withUnsafeMutableBufferPointer { s in
                scratch.withUnsafeMutableBufferPointer { combineLogSumExp(maxima: m, sums: s, scratch: $0) }
            }
        }
    }

    /// The factor `e^{m_r − m}` that moves partial sums taken relative to `m_r` to the global `m ≥ m_r`;
    /// 0 for an empty block (`m_r = −∞`).
    static func rescaling(from local: Double, to global: Double) -> Double {
        if local == global { return 1 }
        if local == -.infinity { return 0 }
        return exp(local - global)
    }
}
