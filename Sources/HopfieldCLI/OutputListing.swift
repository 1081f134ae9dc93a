import Foundation

/// The files an output folder holds, for the `output:` line: those of `order` first, in that order, then any
/// others alphabetically — so that the line lists every file written (states.svg only when it was).
func outputListing(_ path: String, order: [String]) -> String {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    let known = order.filter(names.contains)
    let others = names.filter { !order.contains($0) && !$0.hasPrefix(".") }.sorted()
    return (known + others).joined(separator: ", ")
}

/// The order of `simulate --out` and the demo's files.
let simulationFiles = ["summary.json", "times.npy", "trajectory.npy", "energy.csv", "energy.svg", "states.svg"]
