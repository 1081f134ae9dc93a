/// `"1 block"`, `"5 blocks"`: a count with its noun in the right number.
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

import Hopfield

/// A layer as the summaries print it: `visible[28×28] identity τ=1.0` (its shape, not only its size).
func layerLabel(_ layer: Layer) -> String {
    "\(layer.name)[\(layer.shape.map(String.init).joined(separator: "×"))] \(layer.lagrangian.name) τ=\(layer.tau)"
}
