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
        /// A Lagrangian network file (its memory layer would be split; see ``simulateSplitNetwork(_:)``).
        case lagrangian
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
        guard try step({ try NetworkFile.holdsGradientModel(contentsOf: url) }) else { return .lagrangian }
        let selection = ShardSelection(rank: world.rank, count: world.size)
        let block = try step { try NetworkFile.loadGradientShard(contentsOf: url, selection: selection) }
        let model = try step { try block.distributed(over: CommunicatorReduction(world)) }
        return .gradient(model)
    }

    /// `simulate --distribute memories` of a Lagrangian network under mpirun: the two-layer network
    /// whose memory layer is split over the processes. Not connected yet: a one-line error (exit 2).
    static func simulateSplitNetwork(_ path: String) throws(CLIError) -> Never {
        throw .badInput(
            "\(Message.name(path)): --distribute memories splits the memories of gradient-flow models (lse, random_features) only; Lagrangian networks are not split over processes yet (use --distribute queries)")
    }
}
