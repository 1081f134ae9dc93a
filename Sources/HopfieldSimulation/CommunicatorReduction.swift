import Distributed
import Hopfield

/// The `PartialReduction` of a distributed run: every call is one in-place MPI collective over
/// `communicator` (`MPI_Allreduce` with `MPI_SUM` or `MPI_MAX`, `MPI_Bcast`). On a one-process
/// communicator every call leaves its buffer as it is.
public final class CommunicatorReduction: PartialReduction {
    /// The processes the reductions run over.
    public let communicator: Communicator

    /// Wraps `communicator` (usually `Communicator/world`).
    public init(_ communicator: Communicator) { self.communicator = communicator }

    public var rank: Int { communicator.rank }
    public var processCount: Int { communicator.size }
    public func sum(_ values: UnsafeMutableBufferPointer<Double>) { communicator.allreduce(values, .sum) }
    public func maximum(_ values: UnsafeMutableBufferPointer<Double>) { communicator.allreduce(values, .max) }
    public func broadcast(_ values: UnsafeMutableBufferPointer<Double>, from root: Int) {
        communicator.broadcast(values, root: root)
    }
}
