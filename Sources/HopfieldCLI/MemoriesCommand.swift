import ArgumentParser
import Foundation
import Hopfield
import HopfieldIO

/// `hopfield memories`: change the memories a gradient-flow model stores.
struct MemoriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memories", abstract: "Change the memories of a gradient-flow model file.",
        subcommands: [MemoriesAddCommand.self])
}

/// `hopfield memories add NET.json --memories NEW.npy --out NEW_NET.json` (docs/drdam.md).
struct MemoriesAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store more memories: random-feature terms get the updated sum (same size), lse terms the new rows.",
        discussion: """
            Writes NEW_NET.json and the .npy files it names (NEW_NET.<term>.<key>.npy) beside it, all or nothing.
            Random-feature terms are written with their stored sum T + Σ Φ(ξ_new): the parameter count, printed
            before and after, does not change for them.
            """)

    @Argument(help: "The gradient-flow model file (format 2, \"dynamics\": \"gradient\").") var network: String
    @Option(help: "The new memories: a .npy file of shape [K, size] (or [size] for one memory).") var memories: String
    @Option(help: "Only the memory terms on this variable (default: every lse and random_features term).")
    var variable: String?
    @Option(help: "The new network file (JSON); its .npy files are written beside it.") var out: String

    func run() throws {
        guard case .gradient(let model) = try loadModel(network) else {
            throw CLIError.badInput("\(network): dynamics: memories add needs a gradient-flow model (\"format\": 2, \"dynamics\": \"gradient\")")
        }
        let array: NPYArray
        do { array = try NPY.read(contentsOf: URL(fileURLWithPath: memories)) } catch {
            throw CLIError.badInput("--memories \(memories): \(error.description)")
        }
        guard array.shape.count == 1 || array.shape.count == 2 else {
            throw CLIError.badInput("--memories \(memories): expected shape [K, size] or [size], got \(array.shape)")
        }
        let grown: GradientModel
        do { grown = try model.addingMemories(array.values, toVariable: variable) } catch {
            throw CLIError.badInput("--memories \(memories): \(error.message)" + (variable.map { " (--variable \($0))" } ?? ""))
        }
        let target = URL(fileURLWithPath: out)
        guard target.pathExtension.lowercased() == "json" else { throw CLIError.badInput("--out \(out): expected a .json file name") }
        let stem = target.deletingPathExtension().lastPathComponent
        let (json, files) = NetworkFile.encode(grown, stem: stem)
        guard ProcessRole.reports else { return }  // under mpirun only rank 0 writes
        try AtomicFiles.write([(target.lastPathComponent, json)] + files.map { ($0.name, $0.data) },
                              into: target.deletingLastPathComponent(), flag: "--out \(out)")
        print("parameters: \(model.parameterCount) → \(grown.parameterCount)")
        print("output: \(out)" + (files.isEmpty ? "" : " and \(files.map(\.name).joined(separator: ", "))"))
    }
}

/// Several files written all or nothing: each goes to a temporary name in the same folder, then all are
/// renamed into place (the JSON file, listed first, last of all); on any failure the temporaries are removed.
enum AtomicFiles {
    static func write(_ files: [(name: String, data: Data)], into folder: URL, flag: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.badInput("\(flag): the folder \(folder.path) does not exist")
        }
        let tag = ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        var written: [(URL, URL)] = []
        do {
            for (name, data) in files {
                let final = folder.appendingPathComponent(name)
                let temporary = folder.appendingPathComponent("." + name + tag)
                try data.write(to: temporary)
                written.append((temporary, final))
            }
            for (temporary, final) in written.reversed() {
                // rename(2) replaces an existing file atomically.
                if rename(temporary.path, final.path) != 0 {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final.path])
                }
            }
        } catch {
            for (temporary, _) in written { try? fm.removeItem(at: temporary) }
            throw CLIError.failed("\(flag): could not write the output: \(error.localizedDescription)")
        }
    }
}
