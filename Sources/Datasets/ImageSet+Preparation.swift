/// Preparing images as stored patterns.
extension ImageSet {
    /// The pixels with the mean image subtracted and every image scaled to RMS 1 (norm √dimension),
    /// row-major `count × dimension`.
    ///
    ///     ξ_μ = √d (x_μ − x̄) / ‖x_μ − x̄‖,   x̄ = (1/K) Σ_μ x_μ
    ///
    /// Dot products between such patterns compare shapes rather than brightness, which is what a
    /// softmax memory layer needs to tell Fashion-MNIST images apart (an image equal to the mean stays 0).
    public func centredAndScaled() -> [Double] {
        let n = dimension
        var mean = [Double](repeating: 0, count: n)
        for k in 0 ..< count { for i in 0 ..< n { mean[i] += pixels[k * n + i] } }
        for i in 0 ..< n { mean[i] /= Double(max(count, 1)) }
        var out = pixels
        for k in 0 ..< count {
            var norm = 0.0
            for i in 0 ..< n {
                out[k * n + i] -= mean[i]
                norm += out[k * n + i] * out[k * n + i]
            }
            let scale = norm > 0 ? Double(n).squareRoot() / norm.squareRoot() : 0
            for i in 0 ..< n { out[k * n + i] *= scale }
        }
        return out
    }

    /// The pixels mapped from `[0, 1]` to `[−1, 1]`: `2 x − 1`, row-major `count × dimension`.
    public func signedPixels() -> [Double] { pixels.map { 2 * $0 - 1 } }
}
