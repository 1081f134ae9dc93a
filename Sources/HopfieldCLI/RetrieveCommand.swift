import ArgumentParser
import Distributed
import Foundation
import Hopfield
import HopfieldIO
import Retrieval

/// `hopfield retrieve`: single-shot Universal Hopfield retrieval `z = P · sep(sim(M, q))` of a batch of
/// queries from `.npy` files (docs/math.md §4, docs/retrieval.md).
struct RetrieveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "Single-shot retrieval z = P · sep(sim(M, q)) (Universal Hopfield networks).",
        discussion: """
            Rows of --memories are the stored patterns m_μ (shape [K, d] or [K, …] with the trailing axes \
            flattened), rows of --queries the queries (shape [B, …] with the same trailing size, or one query \
            of the pattern's shape), rows of --output the outputs. Without --projection P = Mᵀ and the output \
            keeps the pattern shape; with --projection (shape [d_out, K]) each output has d_out entries. \
            Similarities: dot cosine euclidean manhattan hamming kl reverse-kl js. Separations: identity square \
            cube power sqrt log softmax max threshold. See docs/retrieval.md.
            """)

    @Option(help: "The stored patterns, a .npy file of shape [K, d] (one memory per row).") var memories: String
    @Option(help: "The queries, a .npy file of shape [B, d] (one query per row) or [d].") var queries: String
    @Option(help: "The similarity: dot, cosine, euclidean, manhattan, hamming, kl, reverse-kl, js.") var similarity: String
    @Option(help: "The separation: identity, square, cube, power, sqrt, log, softmax, max, threshold.") var separation: String
    @OptionGroup var flags: RetrievalFlags
    @Option(help: "Hetero-association: the projection P, a .npy file of shape [d_out, K].") var projection: String?
    @Option(help: "Where to write the outputs Z (.npy), one row per query.") var output: String
    @Flag(help: "Print one JSON document to stdout.") var json = false
    @Flag(help: "Under mpirun: every process says on stderr which block of the queries it retrieved.") var verbose = false

    func run() throws {
        let sim = try parseSimilarity(similarity, flag: "--similarity")
        let sep = try flags.separation(separation, flag: "--separation")
        let options = try flags.options()
        guard output.lowercased().hasSuffix(".npy") else {
            throw CLIError.badInput("--output \(output): the output file name must end in .npy")
        }

        let m = try readArray(memories, flag: "--memories")
        guard m.shape.count >= 2, m.shape[0] >= 1, m.count > 0 else {
            throw CLIError.badInput("--memories \(memories): expected an array of shape [K, d] with K ≥ 1 memories as rows, got shape \(m.shape)")
        }
        let k = m.shape[0]
        let patternShape = Array(m.shape.dropFirst())
        let d = patternShape.reduce(1, *)

        let q = try readArray(queries, flag: "--queries")
        let batch: Int
        let single: Bool
        if q.shape == patternShape || (q.shape.count == 1 && q.shape[0] == d && d > 0) {
            (batch, single) = (1, true)
        } else if q.shape.count >= 2, Array(q.shape.dropFirst()).reduce(1, *) == d,
                  q.shape.count == 2 || Array(q.shape.dropFirst()) == patternShape {
            (batch, single) = (q.shape[0], false)
        } else {
            throw CLIError.badInput(
                "--queries \(queries): expected shape [B, \(d)]\(patternShape.count > 1 ? " or [B, \(patternShape.map(String.init).joined(separator: ", "))]" : "") or \(patternShape) to match --memories \(memories) of shape \(m.shape), got \(q.shape)")
        }

        var projectionValues: [Double]?
        var outputDimension: Int?
        if let projection {
            let p = try readArray(projection, flag: "--projection")
            guard p.shape.count == 2, p.shape[1] == k, p.shape[0] >= 1 else {
                throw CLIError.badInput(
                    "--projection \(projection): expected shape [d_out, \(k)] (one column per memory of --memories \(memories)), got \(p.shape)")
            }
            projectionValues = p.values
            outputDimension = p.shape[0]
        }

        let memory: Memory
        let gathered: BatchRetrieval?
        do {
            memory = try Memory(memories: m.values, count: k, dimension: d, projection: projectionValues,
                                outputDimension: outputDimension)
            // Under mpirun each rank retrieves its block of the queries; rank 0 receives all (docs/distributed.md).
            gathered = try memory.retrieveBatch(
                queries: q.values, batch: batch, similarity: sim, separation: sep, options: options, across: .world
            ) { block, threads in
                BlockReport(command: "retrieve", items: "queries", enabled: verbose).say(block, of: batch, threads: threads)
            }
        } catch let error as RetrievalError {
            throw CLIError.badInput("\(error.description)")
        } catch {
            throw CLIError.failed("\(error)")
        }
        let rowShape = projectionValues == nil ? patternShape : [memory.outputDimension]
        let shape = single ? rowShape : [batch] + rowShape
        guard let result = gathered else { return }  // ranks other than 0: rank 0 writes and prints
        do { try NPY.write(NPYArray(shape: shape, values: result.outputs), to: URL(fileURLWithPath: output)) } catch {
            throw CLIError.badInput("--output \(output): \(error.message)")
        }
        let winners = result.strongestMemories
        if json {
            let document = JSON.object([
                ("command", .string("retrieve")),
                ("similarity", .string(sim.name)),
                ("separation", .string(sep.description)),
                ("convention", .string(options.convention.description)),
                ("normalize", .string(flags.normalize.lowercased())),
                ("memories", .object([("file", .string(memories)), ("shape", .array(m.shape.map { .int($0) }))])),
                ("queries", .object([("file", .string(queries)), ("shape", .array(q.shape.map { .int($0) }))])),
                ("projection", projection.map { .string($0) } ?? .null),
                ("output", .object([("file", .string(output)), ("shape", .array(shape.map { .int($0) }))])),
                ("count", .int(k)), ("dimension", .int(d)), ("batch", .int(batch)),
                ("strongest_memory", .array(winners.map { .int($0) })),
                ("strongest_weight", .numbers(result.strongestWeights)),
            ])
            print(document.serialized())
        } else {
            print("retrieved \(batch) quer\(batch == 1 ? "y" : "ies") from \(k) memories of \(d) entries: similarity \(sim.name), separation \(sep) → \(output) \(shape)")
            for b in 0 ..< min(batch, 10) {
                print("  query \(b): strongest memory \(winners[b]) (weight \(fmt(result.strongestWeights[b])))")
            }
            if batch > 10 { print("  … (\(batch - 10) more)") }
        }
    }
}
