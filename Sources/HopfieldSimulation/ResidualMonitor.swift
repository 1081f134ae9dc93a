import Hopfield
import LinearAlgebra

/// Watches `V = ‖r‖²` non-increasing at every internal step of the residual flow (see ``Dynamics/residual``),
/// and records the energy `E` alongside for comparison.
///
/// The test mirrors ``EnergyMonitor``'s: an increase `ΔV = V_{k+1} − V_k` between consecutive internal steps
/// is a violation when
///
///     ΔV > tol_k = κ · ( max(G_k, G_{k+1}) + 1e-13 · max(1, V_k, V_{k+1}) ),
///     G = Σ_i |∂V/∂x_i| (rtol |x_i| + atol),   ∇V = 2 (C H − I)ᵀ r = 2 (H C r − r).
///
/// The recorded rates are analytic: `dV/dt = −2 rᵀ τ⁻¹ r` and `dE/dt = ∇E · ẋ = −(H r) · ẋ` with the
/// residual-flow velocity `ẋ` (E is not a Lyapunov function of the residual flow and may increase).
public final class ResidualMonitor {
    private let flow: ResidualFlow
    private let relativeTolerance: Double
    private let absoluteTolerance: Double
    private let safetyFactor: Double
    private var residual: [Double]
    private var work: [Double]
    private var product: [Double]
    private var velocity: [Double]
    private var ledger: MonitorLedger

    /// `V = ‖r‖²` and its analytic rate: one sample for the initial state and one per internal step.
    public var samples: [EnergySample] { ledger.samples }
    /// `E` and its analytic rate along the residual flow, at the same times.
    public private(set) var energySamples: [EnergySample] = []
    /// The verdict on `V` so far (the fields named "energy" refer to `V`).
    public var report: EnergyMonitorReport { ledger.report }

    /// Creates a monitor for `network` with the integration tolerances that define `tol_k`.
    public init(network: Network, relativeTolerance: Double, absoluteTolerance: Double, safetyFactor: Double = 10) {
        flow = ResidualFlow(network: network)
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.safetyFactor = safetyFactor
        let n = network.dimension
        residual = [Double](repeating: 0, count: n)
        work = [Double](repeating: 0, count: n)
        product = [Double](repeating: 0, count: n)
        velocity = [Double](repeating: 0, count: n)
        ledger = MonitorLedger(safetyFactor: safetyFactor)
        energySamples.reserveCapacity(1024)
    }

    /// Records the state at time `t`: the first call is the initial state, every later call an internal step.
    public func record(t: Double, state x: UnsafeBufferPointer<Double>) {
        let (value, rate) = flow.lyapunov(x)
        ledger.record(t: t, value: value, rate: rate, bound: gradientBound(x))
        energySamples.append(EnergySample(t: t, energy: flow.evaluator.energy(x), rate: energyRate(x)))
    }

    /// `Σ_i |∂V/∂x_i| (rtol |x_i| + atol)` with `∇V = 2 (H C r − r)`.
    private func gradientBound(_ x: UnsafeBufferPointer<Double>) -> Double {
        let n = flow.dimension
        residual.withUnsafeMutableBufferPointer { flow.evaluator.residual(x, into: $0) }
        flow.coupling.withUnsafeBufferPointer { c in
            residual.withUnsafeBufferPointer { r in
                work.withUnsafeMutableBufferPointer { w in
                    guard n > 0 else { return }
                    BLAS.gemv(rows: n, columns: n, c.baseAddress!, r.baseAddress!, w.baseAddress!)
                }
            }
        }
        hessianProduct(x, of: work)
        var sum = 0.0
        for i in 0 ..< n {
            let gradient = 2 * (product[i] - residual[i])
            sum += abs(gradient) * (relativeTolerance * abs(x[i]) + absoluteTolerance)
        }
        return sum
    }

    /// `dE/dt = −(H r) · ẋ` with the residual-flow velocity; NaN where `I − C H` is singular.
    private func energyRate(_ x: UnsafeBufferPointer<Double>) -> Double {
        residual.withUnsafeMutableBufferPointer { flow.evaluator.residual(x, into: $0) }
        hessianProduct(x, of: residual)
        let solved: Bool = velocity.withUnsafeMutableBufferPointer { v in
            do throws(LinearAlgebraError) {
                try flow.vectorField(x, into: v)
                return true
            } catch {
                return false
            }
        }
        guard solved else { return .nan }
        var rate = 0.0
        for i in 0 ..< flow.dimension { rate -= product[i] * velocity[i] }
        return rate
    }

    /// `product = H(x) v`, layer by layer.
    private func hessianProduct(_ x: UnsafeBufferPointer<Double>, of v: [Double]) {
        let network = flow.network
        v.withUnsafeBufferPointer { v in
            product.withUnsafeMutableBufferPointer { p in
                for (a, layer) in network.layers.enumerated() {
                    let range = network.range(ofLayer: a)
                    layer.lagrangian.hessianVectorProduct(
                        at: UnsafeBufferPointer(rebasing: x[range]), UnsafeBufferPointer(rebasing: v[range]),
                        into: UnsafeMutableBufferPointer(rebasing: p[range]))
                }
            }
        }
    }
}
