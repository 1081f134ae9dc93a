import Foundation
import HopfieldIO
import Plotting
import Retrieval

/// What `hopfield drdam` prints and writes: the JSON document, the CSV, the table and the plots.
struct DrDAMReport {
    let experiment: DrDAMExperiment
    let result: DrDAMResult

    static let kinds = DrDAMPointKind.allCases

    func perKind(_ values: [DrDAMPointKind: [Double]]) -> JSON {
        .object(Self.kinds.map { ($0.rawValue, JSON.numbers(values[$0] ?? [])) })
    }

    func slopes(_ values: [DrDAMPointKind: Double]) -> JSON {
        .object(Self.kinds.map { ($0.rawValue, JSON.number(values[$0] ?? .nan)) })
    }

    /// `{"features", "energy_error", "gradient_error", "slope", "disagreement", "parameters"}`.
    func document() -> JSON {
        .object([
            ("features", .array(result.features.map { .int($0) })),
            ("energy_error", perKind(result.energyError)),
            ("gradient_error", perKind(result.gradientError)),
            ("slope", .object([
                ("energy", slopes(result.slopes(of: result.energyError))),
                ("gradient", slopes(result.slopes(of: result.gradientError))),
            ])),
            ("disagreement", JSON.numbers(result.disagreement)),
            ("parameters", .object([
                ("dimension", .int(experiment.dimension)), ("memories", .int(experiment.memoryCount)),
                ("beta", .number(experiment.beta)), ("points", .int(experiment.points)),
                ("seed", .string(String(experiment.seed))), ("kernel", .string(experiment.kernel.rawValue)),
                ("trials", .int(experiment.trials)), ("flip_fraction", .number(experiment.flipFraction)),
            ])),
        ])
    }

    /// One row per (Y, kind): `features,kind,energy_error,gradient_error,disagreement` (the disagreement,
    /// measured from the near points, on their rows; empty elsewhere or without retrieval).
    func csv() -> String {
        var out = "features,kind,energy_error,gradient_error,disagreement\n"
        for (k, y) in result.features.enumerated() {
            for kind in Self.kinds {
                let disagreement = kind == .near && k < result.disagreement.count ? "\(result.disagreement[k])" : ""
                out += "\(y),\(kind.rawValue),\(result.energyError[kind]![k]),\(result.gradientError[kind]![k]),\(disagreement)\n"
            }
        }
        return out
    }

    func table() -> String {
        let e = result.slopes(of: result.energyError), g = result.slopes(of: result.gradientError)
        var lines = [
            "DrDAM: D = \(experiment.dimension), K = \(experiment.memoryCount), β = \(experiment.beta), kernel \(experiment.kernel.rawValue), P = \(experiment.points) points of each kind, seed \(experiment.seed)",
            "       Y   |E−Ẽ| memories       near     random   |∇E−∇Ẽ| memories       near     random   disagreement",
        ]
        for (k, y) in result.features.enumerated() {
            let cells = Self.kinds.map { String(format: "%10.3e", result.energyError[$0]![k]) }
                + Self.kinds.map { String(format: "%10.3e", result.gradientError[$0]![k]) }
            let disagreement = k < result.disagreement.count ? String(format: "%15.4f", result.disagreement[k]) : ""
            lines.append(String(format: "%8d", y) + "       " + cells[0 ..< 3].joined(separator: " ") + "           " + cells[3 ..< 6].joined(separator: " ") + disagreement)
        }
        let es = Self.kinds.map { String(format: "%10.3f", e[$0]!) }, gs = Self.kinds.map { String(format: "%10.3f", g[$0]!) }
        lines.append("   slope       " + es.joined(separator: " ") + "           " + gs.joined(separator: " "))
        return lines.joined(separator: "\n")
    }

    /// Error against Y on log axes, with the `Y^−½` guide: one panel per point kind, energy and gradient.
    func svg() -> String {
        let ys = result.features.map(Double.init)
        let panels: [Panel] = Self.kinds.map { kind in
            let energy = result.energyError[kind]!, gradient = result.gradientError[kind]!
            let series = [
                try? Series(name: "|E − Ẽ|", xs: ys, ys: energy),
                try? Series(name: "|∇E − ∇Ẽ|", xs: ys, ys: gradient),
                try? Series(name: "∝ Y^−½", xs: ys, ys: result.guide(through: gradient), color: Color(red: 136, green: 136, blue: 136)),
            ].compactMap { $0 }
            return .line(LinePlot(
                title: kind.rawValue, xLabel: "features Y", yLabel: "mean error", series: series, xScale: .log,
                yScale: .log, width: 420, height: 340))
        }
        return Figure.sideBySide(
            title: "DrDAM vs exact memory: D = \(experiment.dimension), K = \(experiment.memoryCount), β = \(experiment.beta), \(experiment.kernel.rawValue)",
            panels
        ).svg()
    }
}
