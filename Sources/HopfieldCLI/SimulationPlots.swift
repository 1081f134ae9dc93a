import Hopfield
import HopfieldSimulation
import Plotting

/// The SVG figures of `simulate --out` and `demo`.
enum SimulationPlots {
    /// At most this many trajectories are drawn.
    static let maxDrawn = 16

    /// E(t) above −dE/dt over time, one curve per trajectory (log scales where the values span decades).
    static func energy(_ results: [TrajectorySolution]) -> String {
        let drawn = results.prefix(maxDrawn)
        var energySeries: [Series] = []
        var rateSeries: [Series] = []
        for (b, r) in drawn.enumerated() {
            let name = results.count > 1 ? "trajectory \(b)" : "E"
            let t = r.energyTrace.map(\.t)
            if let s = try? Series(name: name, xs: t, ys: r.energyTrace.map(\.energy)) { energySeries.append(s) }
            if let s = try? Series(name: results.count > 1 ? name : "−dE/dt", xs: t, ys: r.energyTrace.map { -$0.rate }) {
                rateSeries.append(s)
            }
        }
        let note = results.count > maxDrawn ? " (first \(maxDrawn) of \(results.count) trajectories)" : ""
        let allE = drawn.flatMap { $0.energyTrace.map(\.energy) }
        let allRate = drawn.flatMap { $0.energyTrace.map { -$0.rate } }
        let allT = drawn.flatMap { $0.energyTrace.map(\.t) }
        let xScale = AxisScale.automatic(for: allT.filter { $0 > 0 }, decades: 4)
        let top = LinePlot(
            title: "Energy E(t)\(note)", xLabel: "t", yLabel: "E", series: energySeries,
            xScale: xScale, yScale: AxisScale.automatic(for: allE))
        let bottom = LinePlot(
            title: "Energy dissipation −dE/dt = Σ τ ẋᵀHẋ", xLabel: "t", yLabel: "−dE/dt", series: rateSeries,
            xScale: xScale, yScale: AxisScale.automatic(for: allRate))
        return Figure.stacked([.line(top), .line(bottom)]).svg()
    }

    /// For every layer with a 2-D shape: initial state, final state and nearest stored pattern, per trajectory.
    /// `found`: the nearest patterns of a network split over processes (its report network holds no synapses).
    static func states(network: Network, results: [TrajectorySolution], found: PatternReport.Found? = nil) -> String? {
        var panels: [Panel] = []
        for (a, layer) in network.layers.enumerated() where layer.shape.count == 2 {
            let (rows, columns) = (layer.shape[0], layer.shape[1])
            let hasPatterns = found.map { $0.layer == a } ?? (network.storedPatterns(ofLayer: a).count > 0)
            var cells: [[GrayImage?]] = []
            var captions: [String] = []
            for (b, r) in results.prefix(maxDrawn).enumerated() {
                let initial = r.namedState(at: 0)[layer.name]!
                let final = r.final[layer.name]!
                var row: [GrayImage?] = [try? GrayImage(rows: rows, columns: columns, pixels: initial),
                                         try? GrayImage(rows: rows, columns: columns, pixels: final)]
                var caption = results.count > 1 ? "trajectory \(b)" : ""
                if hasPatterns, let found, b < found.matches.count {
                    row.append(try? GrayImage(rows: rows, columns: columns, pixels: found.matches[b].pattern))
                    caption += (caption.isEmpty ? "" : ": ") + "pattern \(found.matches[b].index)"
                } else if hasPatterns, let nearest = network.nearestStoredPattern(ofLayer: a, to: final) {
                    let n = layer.size
                    let pattern = Array(network.storedPatterns(ofLayer: a).values[nearest.index * n ..< (nearest.index + 1) * n])
                    row.append(try? GrayImage(rows: rows, columns: columns, pixels: pattern))
                    caption += (caption.isEmpty ? "" : ": ") + "pattern \(nearest.index)"
                }
                cells.append(row)
                captions.append(caption)
            }
            let columnsCaptions = hasPatterns ? ["initial", "final", "nearest stored"] : ["initial", "final"]
            panels.append(.images(ImageGrid(
                title: "Layer \(layer.name) (\(rows)×\(columns))", rowCaptions: captions,
                columnCaptions: columnsCaptions, cells: cells, range: .shared)))
        }
        return panels.isEmpty ? nil : Figure.sideBySide(panels).svg()
    }

    /// For every variable with a 2-D shape: initial and final state, per trajectory (gradient-flow models).
    static func states(variables: [ModelVariable], results: [TrajectorySolution]) -> String? {
        var panels: [Panel] = []
        for v in variables where v.shape.count == 2 {
            let (rows, columns) = (v.shape[0], v.shape[1])
            var cells: [[GrayImage?]] = []
            var captions: [String] = []
            for (b, r) in results.prefix(maxDrawn).enumerated() {
                cells.append([try? GrayImage(rows: rows, columns: columns, pixels: r.namedState(at: 0)[v.name]!),
                              try? GrayImage(rows: rows, columns: columns, pixels: r.final[v.name]!)])
                captions.append(results.count > 1 ? "trajectory \(b)" : "")
            }
            panels.append(.images(ImageGrid(
                title: "Variable \(v.name) (\(rows)×\(columns))", rowCaptions: captions,
                columnCaptions: ["initial", "final"], cells: cells, range: .shared)))
        }
        return panels.isEmpty ? nil : Figure.sideBySide(panels).svg()
    }
}
