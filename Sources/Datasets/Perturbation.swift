import Hopfield

/// Query perturbations of prepared (centred or signed) patterns: unlike ``Corruption``, nothing is
/// clamped to the pixel range, so they apply to any real-valued pattern.
public enum Perturbation {
    /// Sets the second half of the values to 0: `x_i ← 0` for `i ≥ ⌊n/2⌋` (the bottom half of an
    /// image with an even number of rows, stored row-major).
    ///
    /// - Parameter x: The pattern, changed in place.
    public static func maskSecondHalf(_ x: inout [Double]) {
        for i in (x.count / 2) ..< x.count { x[i] = 0 }
    }

    /// Adds Gaussian noise without clamping: `x_i ← x_i + σ n_i`, `n_i ~ N(0, 1)` drawn in order from
    /// `generator` (`SplitMix64.nextGaussian()`).
    ///
    /// - Parameters:
    ///   - x: The pattern, changed in place.
    ///   - sigma: The standard deviation σ.
    ///   - generator: The generator; shared across patterns, so the noise of pattern b depends on the ones before.
    public static func addGaussianNoise(_ x: inout [Double], sigma: Double, generator: inout SplitMix64) {
        for i in x.indices { x[i] += sigma * generator.nextGaussian() }
    }
}
