import Foundation
import Hopfield
import HopfieldIO

/// Initial states given on the command line as `LAYER=FILE.npy`: one trajectory (1-D files) or a batch
/// (2-D files of shape [B, size]; 1-D files are shared by every trajectory of the batch).
struct InitialStates {
    /// The flat initial states, one per trajectory.
    var states: [[Double]]
    /// Whether any file was 2-D (the output then has a leading batch axis).
    var isBatch: Bool

    /// Parses and loads `LAYER=FILE.npy` assignments; layers not named start at 0.
    ///
    /// - Parameters:
    ///   - assignments: the `LAYER=FILE.npy` arguments, in order.
    ///   - network: the network whose layers they name.
    ///   - flag: the flag name used in error messages (`--init`, `--state`).
    static func load(_ assignments: [String], network: Network, flag: String) throws(CLIError) -> InitialStates {
        try load(assignments, model: network, flag: flag)
    }

    /// Parses and loads `NAME=FILE.npy` assignments for any model (a network's layers, a gradient-flow
    /// model's variables); the parts not named start at 0.
    static func load(_ assignments: [String], model: any DynamicalModel, flag: String) throws(CLIError) -> InitialStates {
        let variables = model.variables
        let part = model is Network ? "layer" : "variable"
        let parts = model is Network ? "layers" : "variables"
        var perLayer: [(layer: Int, file: String, values: [Double], batch: Int?)] = []
        for assignment in assignments {
            guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex,
                  assignment.index(after: eq) != assignment.endIndex
            else { throw .badInput("\(flag) \(assignment): expected \(part.uppercased())=FILE.npy") }
            let name = String(assignment[..<eq])
            let file = String(assignment[assignment.index(after: eq)...])
            guard let a = variables.firstIndex(where: { $0.name == name }) else {
                throw .badInput(
                    "\(flag) \(assignment): no \(part) named \"\(name)\" (\(parts): \(variables.map(\.name).joined(separator: ", ")))")
            }
            if perLayer.contains(where: { $0.layer == a }) { throw .badInput("\(flag) \(assignment): \(part) \"\(name)\" given twice") }
            let array: NPYArray
            do { array = try NPY.read(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw .badInput("\(file): \(error.description.hasPrefix(file) ? String(error.description.dropFirst(file.count + 2)) : error.description)")
            }
            let size = variables[a].size
            if let bad = array.values.firstIndex(where: { !$0.isFinite }) {
                throw .badInput("\(file): entry \(bad) is not finite (\(array.values[bad]))")
            }
            switch array.shape.count {
            case 1 where array.shape[0] == size:
                perLayer.append((a, file, array.values, nil))
            case 2 where array.shape[1] == size && array.shape[0] > 0:
                perLayer.append((a, file, array.values, array.shape[0]))
            default:
                throw .badInput(
                    "\(file): shape \(array.shape) does not fit \(part) \"\(name)\" of \(size) units (expected [\(size)] or [B, \(size)])")
            }
        }
        let batches = Set(perLayer.compactMap(\.batch))
        if batches.count > 1 {
            let list = perLayer.filter { $0.batch != nil }.map { "\($0.file): B = \($0.batch!)" }.joined(separator: ", ")
            throw .badInput("\(flag): 2-D files disagree on the batch size (\(list))")
        }
        let count = batches.first ?? 1
        var states = [[Double]](repeating: [Double](repeating: 0, count: model.dimension), count: count)
        for entry in perLayer {
            let range = variables[entry.layer].range
            let size = range.count
            for b in 0 ..< count {
                let start = entry.batch == nil ? 0 : b * size
                states[b].replaceSubrange(range, with: entry.values[start ..< start + size])
            }
        }
        return InitialStates(states: states, isBatch: !batches.isEmpty)
    }
}
