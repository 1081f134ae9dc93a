/// A layer of neurons: an internal state `x ∈ Rⁿ`, a convex Lagrangian, a time constant and a bias.
///
/// Its dynamics (docs/math.md §1): `τ dx/dt = b − x + Σ (synaptic input)`.
public struct Layer: Sendable, Hashable {
    /// A unique name, used by synapses and in files.
    public var name: String
    /// The shape of the layer; a 2-D shape marks an image layer (for plots). `size` is its product.
    public var shape: [Int]
    /// The Lagrangian whose gradient is the activation.
    public var lagrangian: Lagrangian
    /// The time constant `τ > 0`.
    public var tau: Double
    /// The bias (input current) `b`: empty for zero, otherwise one number per unit.
    public var bias: [Double]
    /// Which units are clamped (`true`): they keep their initial value, `ẋ_i = 0` (docs/math.md §7).
    /// Empty for none, otherwise one flag per unit.
    ///
    /// The energy stays a Lyapunov function when the clamped units' Hessian couples nothing free:
    /// a separable Lagrangian, or a whole layer clamped. Clamping part of a collective layer (softmax,
    /// layer norm…) makes `dE/dt = ∇E·ẋ` over the free units indefinite in general; the energy monitor
    /// then reports what happens.
    public var clamp: [Bool] = []

    /// The number of units, the product of `shape`.
    public var size: Int { shape.reduce(1, *) }

    /// Creates a layer of `size` units (a 1-D shape).
    public init(
        name: String, size: Int, lagrangian: Lagrangian, tau: Double = 1, bias: [Double] = [], clamp: [Bool] = []
    ) {
        self.init(name: name, shape: [size], lagrangian: lagrangian, tau: tau, bias: bias, clamp: clamp)
    }

    /// Creates a layer with an explicit shape (e.g. `[28, 28]` for an image).
    public init(
        name: String, shape: [Int], lagrangian: Lagrangian, tau: Double = 1, bias: [Double] = [], clamp: [Bool] = []
    ) {
        self.name = name
        self.shape = shape
        self.lagrangian = lagrangian
        self.tau = tau
        self.bias = bias
        self.clamp = clamp
    }

    /// Whether unit `i` is clamped (false when ``clamp`` is empty).
    @inlinable
    public func isClamped(_ i: Int) -> Bool { clamp.isEmpty ? false : clamp[i] }

    /// The bias of unit `i` (0 when the bias is empty).
    @inlinable
    public func bias(at i: Int) -> Double { bias.isEmpty ? 0 : bias[i] }
}
