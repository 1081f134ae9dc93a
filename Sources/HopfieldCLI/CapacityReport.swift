import Datasets
import Foundation
import Hopfield
import HopfieldIO
import Plotting
import Retrieval

/// How a capacity row was retrieved.
enum CapacityMode: String {
    /// `z = Mᵀ sep(sim(M, q))` once.
    case singleShot = "single-shot"
    /// Integrated to steady state, read out as `z = Mᵀ f(h*)`.
    case continuousReadout = "continuous"
    /// Integrated to steady state, the feature state `v*` itself.
    case continuousState = "continuous-state"
}

/// One row of the capacity table: a (similarity, separation, K) cell retrieved one way.
struct CapacityRow {
    var mode: CapacityMode
    var result: CapacityResult
}

/// The outputs of `hopfield capacity`: table, CSV, JSON and SVG.
struct CapacityReport {
    let command: CapacityCommand
    let setup: CapacityCommand.Setup
    let experiment: CapacityExperiment
    let images: ImageSet
    let split: FashionMNIST.Split
    let rows: [CapacityRow]
    let cells: [(Similarity, ContinuousCapacity.Cell)]
    let seconds: Double

    /// The curves in order of first appearance: (similarity, separation, mode) → rows by K.
    var curves: [(label: String, mode: CapacityMode, rows: [CapacityRow])] {
        var order: [String] = []
        var byKey: [String: (CapacityMode, [CapacityRow])] = [:]
        for row in rows {
            let key = "\(row.result.similarity) + \(row.result.separation)" + (row.mode == .singleShot ? "" : " (\(row.mode.rawValue))")
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = (row.mode, [])
            }
            byKey[key]?.1.append(row)
        }
        return order.map { ($0, byKey[$0]!.0, byKey[$0]!.1.sorted { $0.result.memoryCount < $1.result.memoryCount }) }
    }

    /// The integration diagnostics of a continuous-time row whose trajectories did not all end in a steady
    /// state (`too_much_work`, `success` at t_end, …), nil for every other row: its accuracy is that of the
    /// state where the integration stopped, and the table marks it.
    func unsteadyDiagnostics(_ row: CapacityRow) -> ContinuousCapacity.Diagnostics? {
        guard row.mode != .singleShot, let cell = cells.first(where: { similarity, cell in
            similarity.name == row.result.similarity.name && cell.readout.memoryCount == row.result.memoryCount
                && cell.readout.separation.description == row.result.separation.description
        })?.1 else { return nil }
        return Self.allSteady(cell.diagnostics) ? nil : cell.diagnostics
    }

    /// Whether every trajectory of a cell ended `steady_state`.
    static func allSteady(_ d: ContinuousCapacity.Diagnostics) -> Bool {
        d.statuses["steady_state", default: 0] == d.trajectories
    }

    /// `similarity,separation,mode,K,queries_per_block,mean,std,block_1,…,block_R`, one line per row.
    func csv() -> String {
        var out = "similarity,separation,mode,K,queries_per_block,mean,std"
        out += (1 ... experiment.blocks).map { ",block_\($0)" }.joined() + "\n"
        for row in rows {
            let r = row.result
            let fields = [r.similarity.name, r.separation.description, row.mode.rawValue, String(r.memoryCount),
                          String(r.queriesPerBlock), "\(r.mean)", "\(r.standardDeviation)"] + r.fractions.map { "\($0)" }
            out += fields.map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    private func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// The JSON document: the protocol, every row and, with `--continuous`, the integration diagnostics.
    func document() -> JSON {
        let options = setup.options
        var members: [(String, JSON)] = [
            ("command", .string("capacity")),
            ("data", .object([("directory", .string(command.data)), ("split", .string(split.rawValue)),
                              ("images_loaded", .int(images.count)), ("rows", .int(images.rows)),
                              ("columns", .int(images.columns))])),
            ("corruption", .string(setup.corruption.description)),
            ("seed", .string(String(command.seed))),
            ("blocks", .int(experiment.blocks)),
            ("block_size", .int(experiment.blockSize)),
            ("sizes", .array(setup.sizes.map { .int($0) })),
            ("max_queries", command.maxQueries.map { .int($0) } ?? .null),
            ("error_threshold", .number(experiment.errorThreshold)),
            ("similarities", .array(setup.similarities.map { .string($0.name) })),
            ("separations", .array(setup.separations.map { .string($0.description) })),
            ("convention", .string(options.convention.description)),
            ("normalize", .string(command.flags.normalize.lowercased())),
            ("results", .array(rows.map { row in
                let r = row.result
                return .object([
                    ("similarity", .string(r.similarity.name)), ("separation", .string(r.separation.description)),
                    ("mode", .string(row.mode.rawValue)), ("K", .int(r.memoryCount)),
                    ("queries_per_block", .int(r.queriesPerBlock)), ("mean", .number(r.mean)),
                    ("std", .number(r.standardDeviation)), ("fractions", .numbers(r.fractions)),
                ])
            })),
        ]
        if command.continuous {
            members.append(("continuous", .object([
                ("network", .string("v: identity [\(images.rows), \(images.columns)], τ = 1; h: softmax(β) [K], τ = \(command.tauMemory); similarity synapse v → h; v(0) = q, h(0) = sim(M, q)")),
                ("t_end", .number(command.tEnd)), ("rtol", .number(command.rtol)), ("atol", .number(command.atol)),
                ("max_steps", .int(command.maxSteps)), ("linear_solver", .string(command.linearSolver.rawValue)),
                ("cells", .array(cells.map { similarity, cell in
                    let d = cell.diagnostics
                    return .object([
                        ("similarity", .string(similarity.name)), ("separation", .string(cell.readout.separation.description)),
                        ("K", .int(cell.readout.memoryCount)), ("trajectories", .int(d.trajectories)),
                        ("all_steady", .bool(Self.allSteady(d))),
                        ("statuses", .object(d.statuses.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                        ("monitor_passed", .int(d.monitorPassed)), ("violations", .int(d.violations)),
                        ("max_energy_increase", .number(d.maxEnergyIncrease)),
                        ("mean_steps", .number(d.trajectories > 0 ? Double(d.steps) / Double(d.trajectories) : 0)),
                        ("seconds", .number(d.seconds)),
                    ])
                })),
            ])))
        }
        members.append(("seconds", .number(seconds)))
        return .object(members)
    }

    /// Mean fraction correct, one line per curve, one column per K.
    func table() -> String {
        let label = "similarity + separation (mode)"
        let curves = self.curves
        let width = max(label.count, curves.map(\.label.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        var out = "Fashion-MNIST \(split.rawValue), corruption \(setup.corruption), \(counted(experiment.blocks, "block")), seed \(command.seed): mean fraction correct (Σ(x − z)² ≤ \(fmt(experiment.errorThreshold)))\n"
        out += pad(label, width) + setup.sizes.map { left("K=\($0)", 7) }.joined() + "\n"
        for curve in curves {
            var line = pad(curve.label, width)
            for k in setup.sizes {
                line += left(curve.rows.first { $0.result.memoryCount == k }.map {
                    fmt3($0.result.mean) + (unsteadyDiagnostics($0) == nil ? "" : "*")
                } ?? "–", 7)
            }
            out += line + "\n"
        }
        let unsteady = cells.filter { !Self.allSteady($0.1.diagnostics) }
        if !unsteady.isEmpty {
            let list = unsteady.map { similarity, cell in
                let statuses = cell.diagnostics.statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                return "\(similarity.name) K=\(cell.readout.memoryCount): \(statuses)"
            }.joined(separator: "; ")
            out += "* not a steady-state accuracy: not every trajectory reached a steady state (\(list)); "
                + "the number is the accuracy of the state where the integration stopped (raise --max-steps or --t-end)\n"
        }
        return String(out.dropLast())
    }

    /// Fraction correct against K (log axis), one curve per (similarity, separation); with `--continuous`
    /// a second panel sets single-shot and continuous-time retrieval side by side.
    func svg() -> String {
        func plot(_ title: String, _ selected: [(label: String, mode: CapacityMode, rows: [CapacityRow])]) -> LinePlot {
            let series = selected.compactMap { curve in
                try? Series(name: curve.label, xs: curve.rows.map { Double($0.result.memoryCount) },
                            ys: curve.rows.map(\.result.mean))
            }
            let xs = setup.sizes.map(Double.init)
            var p = LinePlot(
                title: title, xLabel: "stored memories K", yLabel: "fraction correct", series: series,
                xScale: (xs.max() ?? 1) / max(xs.min() ?? 1, 1) >= 10 ? .log : .linear, yScale: .linear,
                width: 720, height: 440)
            p.yRange = 0 ... 1
            return p
        }
        let all = curves
        let title = "Capacity on Fashion-MNIST (\(setup.corruption), \(counted(experiment.blocks, "block")))"
        let singleShot = all.filter { $0.mode == .singleShot }
        if !command.continuous {
            // Many curves: one panel per similarity, so that the palette does not repeat within a panel.
            let similarities = setup.similarities
            guard singleShot.count > 8, similarities.count > 1 else { return Figure(panels: [.line(plot(title, singleShot))]).svg() }
            let panels = similarities.map { similarity in
                Panel.line(plot("\(similarity.name): \(setup.corruption), \(counted(experiment.blocks, "block"))",
                                singleShot.filter { $0.rows.first?.result.similarity == similarity }))
            }
            return Figure(title: "Capacity on Fashion-MNIST", panels: panels, columns: min(2, panels.count)).svg()
        }
        let softmaxSingle = singleShot.filter { curve in
            if case .softmax = curve.rows.first?.result.separation { return true } else { return false }
        }
        // Short legend names: the separation (softmax β) goes into the title.
        let betas = Set(softmaxSingle.compactMap { $0.rows.first?.result.separation.description }).sorted()
        let renamed = (softmaxSingle + all.filter { $0.mode != .singleShot }).map { curve in
            let similarity = curve.rows.first.map { $0.result.similarity.name } ?? curve.label
            let multiple = betas.count > 1 ? " \(curve.rows.first?.result.separation.description ?? "")" : ""
            let suffix = switch curve.mode {
            case .singleShot: "one shot"
            case .continuousReadout: "steady Mᵀf(h*)"
            case .continuousState: "steady v*"
            }
            return (label: "\(similarity)\(multiple): \(suffix)", mode: curve.mode, rows: curve.rows)
        }
        let comparison = plot("One shot vs steady state, \(betas.joined(separator: ", "))", renamed)
        return Figure.stacked([.line(plot(title, singleShot)), .line(comparison)]).svg()
    }
}
