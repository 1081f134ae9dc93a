import CMPI

/// An element-wise combination of one buffer from every process.
public enum Reduction: Sendable, Hashable {
    /// `Σ_r x_r` (`MPI_SUM`).
    case sum
    /// `max_r x_r` (`MPI_MAX`).
    case max
    /// `min_r x_r` (`MPI_MIN`).
    case min

    /// The MPI operation.
    var handle: MPI_Op {
        switch self {
        case .sum: cmpi_sum()
        case .max: cmpi_max()
        case .min: cmpi_min()
        }
    }
}

extension Communicator {
    /// Replaces `buffer` on every process by the element-wise reduction of all processes' buffers
    /// (`MPI_Allreduce` with `MPI_IN_PLACE`); every process passes the same length.
    ///
    ///     buffer_i ← ⊕_r buffer_i^(r),   ⊕ ∈ {Σ, max, min}
    ///
    /// Allocates nothing. The order in which MPI adds the processes' terms is fixed for a given size,
    /// so sums agree with a serial sum up to rounding (relative error of order `R·ε`).
    ///
    /// - Parameters:
    ///   - buffer: this process's numbers, overwritten with the reduction.
    ///   - reduction: how to combine them.
    public func allreduce(_ buffer: UnsafeMutableBufferPointer<Double>, _ reduction: Reduction) {
        guard communicates, let base = buffer.baseAddress else { return }
        MPI_Allreduce(cmpi_in_place(), base, mpiCount(buffer.count), cmpi_double(), reduction.handle, cmpi_comm_world())
    }

    /// Replaces `values` by the element-wise reduction of every process's values (see
    /// ``allreduce(_:_:)-(UnsafeMutableBufferPointer<Double>,_)``).
    ///
    /// - Parameters:
    ///   - values: this process's numbers, overwritten with the reduction.
    ///   - reduction: how to combine them.
    public func allreduce(_ values: inout [Double], _ reduction: Reduction) {
        values.withUnsafeMutableBufferPointer { allreduce($0, reduction) }
    }

    /// The reduction of one number from every process.
    ///
    /// - Parameters:
    ///   - value: this process's number.
    ///   - reduction: how to combine them.
    public func allreduce(_ value: Double, _ reduction: Reduction) -> Double {
        var result = value
        withUnsafeMutablePointer(to: &result) { allreduce(UnsafeMutableBufferPointer(start: $0, count: 1), reduction) }
        return result
    }

    /// Replaces `buffer` on every process by `root`'s (`MPI_Bcast`); every process passes the same
    /// length. Allocates nothing.
    ///
    /// - Parameters:
    ///   - buffer: the numbers on `root`; overwritten elsewhere.
    ///   - root: the sending rank (default 0).
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int = 0) {
        guard communicates, let base = buffer.baseAddress else { return }
        MPI_Bcast(base, mpiCount(buffer.count), cmpi_double(), Int32(root), cmpi_comm_world())
    }
}
