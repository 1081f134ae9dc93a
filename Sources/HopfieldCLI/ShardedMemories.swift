import ArgumentParser
import Distributed
import Foundation
import Hopfield
import HopfieldIO
import HopfieldSimulation

/// How `--distribute` splits a run under mpirun (docs/distributed.md).
enum Distribution: String, ExpressibleByArgument, CaseIterable {
    /// Each process integrates its block of the batch of initial states.
    case queries
    /// Each process holds its block of the memories; every evaluation joins the blocks.
    case memories
}

/// `--distribute memories` under mpirun: each rank reads only its block of the memories and the model
/// joins the blocks at every evaluation (docs/distributed.md, "One shard per rank").
enum ShardedMemories {
    /// What a rank holds after reading its shard.
    enum Loaded {
        /// This rank's part of a gradient-flow model, distributed over the run's processes.
        case gradient(GradientModel)
        /// This rank's part of a Lagrangian network file: its rows of the split synapse's weights, with
        /// their offset (`ShardedLagrangianFile.splitNetwork(fileName:reduction:)`).
        case lagrangian(ShardedLagrangianFile)
    }

    /// Reads this rank's block of the network file at `path` and distributes it over `world`; every
    /// step is collective, so a rank whose shard is missing or malformed ends the run on every rank
    /// with that rank's one-line message (printed by rank 0) and exit status 2.
    ///
    /// - Throws: ``CLIError`` (the same on every rank).
    static func load(_ path: String, over world: Communicator) throws(CLIError) -> Loaded {
        let url = URL(fileURLWithPath: path)
        func step<T>(_ body: () throws -> T) throws(CLIError) -> T {
            do {
                return try world.collectively {
                    do { return try body() } catch let error as NetworkFileError {
                        throw RankFailure(rank: world.rank, message: error.description, exitCode: 2)
                    } catch let error as NetworkError {
                        throw RankFailure(rank: world.rank, message: "\(url.lastPathComponent): \(error.path): \(error.message)", exitCode: 2)
                    }
                }
            } catch {
                throw CLIError(exitCode: error.exitCode, message: error.message)
            }
        }
        let selection = ShardSelection(rank: world.rank, count: world.size)
        guard try step({ try NetworkFile.holdsGradientModel(contentsOf: url) }) else {
            // Two passes: the row counts from the headers of each rank's own shards, one exchange of the
            // counts, then each rank's rows with their offset.
            let plan = try step { try NetworkFile.shardPlan(contentsOf: url, selection: selection) }
            var rows = [Double](repeating: 0, count: world.size)
            rows[world.rank] = Double(plan.localRows)
            world.allreduce(&rows, .sum)
            let (offset, total) = ShardPlan.extent(localRows: rows.map { Int($0) }, rank: world.rank)
            return .lagrangian(try step {
                try NetworkFile.loadShardedLagrangian(contentsOf: url, selection: selection, rowOffset: offset, totalRows: total)
            })
        }
        let block = try step { try NetworkFile.loadGradientShard(contentsOf: url, selection: selection) }
        let model = try step { try block.distributed(over: CommunicatorReduction(world)) }
        return .gradient(model)
    }

    /// For `energy` and `analyze`: under mpirun with `--distribute memories`, the distributed
    /// gradient-flow model (every evaluation collective, every rank running the same analysis, rank 0
    /// printing); nil otherwise (the command reads the file as one process). A Lagrangian network is
    /// refused with one line (exit 2).
    static func gradientModel(_ path: String, _ distribution: Distribution, command: String) throws(CLIError) -> GradientModel? {
        guard distribution == .memories, Communicator.world.size > 1 else { return nil }
        switch try load(path, over: Communicator.world) {
        case .gradient(let model): return model
        case .lagrangian:
            throw .badInput(
                "\(Message.name(path)): \(command) --distribute memories splits gradient-flow models only; a Lagrangian network's memory layer is split by simulate (use --distribute queries)")
        }
    }
}

