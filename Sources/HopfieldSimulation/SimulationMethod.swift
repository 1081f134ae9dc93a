/// The integration method of a simulation.
///
/// | case | solver | suits |
/// |---|---|---|
/// | `bdf` | CVODE BDF, orders 1–5, Newton iteration with the chosen linear solver | stiff networks (the default) |
/// | `adams` | CVODE Adams–Moulton, orders 1–12 | smooth non-stiff networks |
/// | `tsit5` | Tsitouras' explicit 5(4) Runge–Kutta pair, FSAL, on the batched kernels (``simulateExplicit(_:from:options:threads:progress:)``) | non-stiff networks, large batches |
///
/// The explicit method needs no linear solver (``SimulationOptions/linearSolver`` is ignored); its step
/// size is limited by stability on stiff networks (fast layers with large Hessians), where BDF wins.
public enum SimulationMethod: String, Sendable, CaseIterable {
    /// CVODE's backward differentiation formulas (`CV_BDF`).
    case bdf
    /// CVODE's Adams–Moulton formulas (`CV_ADAMS`).
    case adams
    /// Tsitouras' 5(4) explicit Runge–Kutta pair (Ch. Tsitouras, Comput. Math. Appl. 62, 2011).
    case tsit5

    /// The CVODE method, or nil for the explicit method.
    public var cvodeMethod: IntegrationMethod? {
        switch self {
        case .bdf: .bdf
        case .adams: .adams
        case .tsit5: nil
        }
    }
}
