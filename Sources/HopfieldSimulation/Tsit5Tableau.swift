/// The coefficients of Tsitouras' explicit Runge–Kutta 5(4) pair (Ch. Tsitouras, "Runge–Kutta pairs of
/// order 5(4) satisfying only the first column simplifying assumption", Comput. Math. Appl. 62, 2011),
/// rounded to double from the 40-digit values of diffrax 0.7 / OrdinaryDiffEq.jl.
///
/// Seven stages, first same as last: `k_i = f(t + c_i h, y + h Σ_j a_ij k_j)`, the fifth-order solution
/// `y₁ = y + h Σ_i b_i k_i` is the input of stage 7, so `k_7 = f(y₁)` is the next step's `k_1`. The local
/// error estimate is `h Σ_i e_i k_i` with `e = b − b̂` (`b̂` the embedded fourth-order weights).
/// Dense output: `y(t + θh) = y + h Σ_i b_i(θ) k_i`, fourth order, with `b_i(1) = b_i`.
enum Tsit5Tableau {
    static let c: [Double] = [0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1]
    /// `a[i]` holds `a_{i+1, 1…i}` (row `i + 1` of the lower triangle), for stages 2…7.
    static let a: [[Double]] = [
        [0.161],
        [-0.008480655492356989, 0.335480655492357],
        [2.8971530571054935, -6.359448489975075, 4.3622954328695815],
        [5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525],
        [5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383],
        [0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774],
    ]
    /// The fifth-order weights (equal to the last row of `a`; `b_7 = 0`).
    static let b: [Double] = [
        0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774, 0,
    ]
    /// The error weights `e = b − b̂`.
    static let e: [Double] = [
        0.0017800110522257773, 0.0008164344596567463, -0.007880878010261994, 0.1447110071732629,
        -0.5823571654525552, 0.45808210592918686, -0.015151515151515152,
    ]

    /// The dense-output weights `b_i(θ)`, `θ ∈ [0, 1]`, written into `w` (7 entries).
    static func interpolationWeights(_ t: Double, into w: inout (Double, Double, Double, Double, Double, Double, Double)) {
        let t2 = t * t
        w.0 = -1.0530884977290216 * t * (t - 1.3299890189751412) * (t2 - 1.4364028541716351 * t + 0.7139816917074209)
        w.1 = 0.1017 * t2 * (t2 - 2.1966568338249754 * t + 1.2949852507374631)
        w.2 = 2.490627285651252793 * t2 * (t2 - 2.38535645472061657 * t + 1.57803468208092486)
        w.3 = -16.54810288924490272 * (t - 1.21712927295533244) * (t - 0.61620406037800089) * t2
        w.4 = 47.37952196281928122 * (t - 1.203071208372362603) * (t - 0.658047292653547382) * t2
        w.5 = -34.87065786149660974 * (t - 1.2) * (t - 0.666666666666666667) * t2
        w.6 = 2.5 * (t - 1) * (t - 0.6) * t2
    }
}
