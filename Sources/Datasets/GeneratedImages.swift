import Foundation

/// Seeded synthetic grey-scale images, for when no data set is installed.
public enum GeneratedImages {
    /// `count` images of `side × side` pixels in `[0, 1]`, each the clamped sum of four Gaussian blobs.
    ///
    /// ```
    /// x(p) = min(1, Σ_{b=1..4} exp(−‖p − c_b‖² / (2 r_b²))),   c_b ~ U[4, side − 4]²,  r_b ~ U[2, 6]
    /// ```
    ///
    /// The blobs are drawn in order (centre x, centre y, radius) from one `SplitMix64` seeded with `seed`.
    ///
    /// - Parameters:
    ///   - count: The number of images.
    ///   - side: The number of pixel rows and columns (≥ 9, so that the centre range is not empty).
    ///   - seed: The generator's seed.
    /// - Returns: The images, all labelled 0.
    public static func blobs(count: Int, side: Int, seed: UInt64) -> ImageSet {
        precondition(count >= 0 && side >= 9, "GeneratedImages.blobs: count \(count), side \(side)")
        var rng = SplitMix64(seed: seed)
        var out: [Double] = []
        out.reserveCapacity(count * side * side)
        for _ in 0 ..< count {
            var image = [Double](repeating: 0, count: side * side)
            for _ in 0 ..< 4 {
                let cx = Double.random(in: 4 ... Double(side - 4), using: &rng)
                let cy = Double.random(in: 4 ... Double(side - 4), using: &rng)
                let r = Double.random(in: 2 ... 6, using: &rng)
                for y in 0 ..< side {
                    for x in 0 ..< side {
                        let d2 = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)
                        image[y * side + x] = min(1, image[y * side + x] + Foundation.exp(-d2 / (2 * r * r)))
                    }
                }
            }
            out += image
        }
        // The sizes agree by construction.
        return try! ImageSet(
            count: count, rows: side, columns: side, pixels: out, labels: [Int](repeating: 0, count: count))
    }

    /// `count` smooth images of `rows × columns` pixels in `[−1, 1]`, each one plane wave.
    ///
    /// ```
    /// x(r, c) = sin(a r + b c + φ),   a, b ~ U[0, 0.3),  φ ~ U[0, 6.3)
    /// ```
    ///
    /// - Parameters:
    ///   - count: The number of images.
    ///   - rows: The number of pixel rows.
    ///   - columns: The number of pixel columns.
    ///   - seed: The seed of the `SplitMix64` drawing (a, b, φ) per image.
    /// - Returns: The pixels, row-major `count × rows · columns`.
    public static func waves(count: Int, rows: Int, columns: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var pixels: [Double] = []
        pixels.reserveCapacity(count * rows * columns)
        for _ in 0 ..< count {
            let (a, b, c) = (rng.nextUniform() * 0.3, rng.nextUniform() * 0.3, rng.nextUniform() * 6.3)
            for r in 0 ..< rows { for col in 0 ..< columns { pixels.append(sin(a * Double(r) + b * Double(col) + c)) } }
        }
        return pixels
    }
}
