import CMPI

extension Communicator {
    /// Collects every process's numbers on `root`, in rank order (`MPI_Gather` of the counts, then
    /// `MPI_Gatherv`); the lengths may differ between processes.
    ///
    /// - Parameters:
    ///   - values: this process's numbers.
    ///   - root: the receiving rank (default 0).
    /// - Returns: on `root`, one array per rank; elsewhere `[]`.
    public func gather(_ values: [Double], root: Int = 0) -> [[Double]] {
        gatherv(values, datatype: cmpi_double(), root: root)
    }

    /// Collects every process's bytes (a JSON document, an error message) on `root`, in rank order.
    ///
    /// - Parameters:
    ///   - bytes: this process's bytes.
    ///   - root: the receiving rank (default 0).
    /// - Returns: on `root`, one array per rank; elsewhere `[]`.
    public func gather(bytes: [UInt8], root: Int = 0) -> [[UInt8]] {
        gatherv(bytes, datatype: cmpi_byte(), root: root)
    }

    /// Gives every process every process's bytes, in rank order (`MPI_Allgather` of the counts, then
    /// `MPI_Allgatherv`).
    ///
    /// - Parameter bytes: this process's bytes.
    /// - Returns: one array per rank.
    public func allgather(bytes: [UInt8]) -> [[UInt8]] {
        guard communicates else { return [bytes] }
        var count = mpiCount(bytes.count)
        var counts = [Int32](repeating: 0, count: size)
        MPI_Allgather(&count, 1, cmpi_int(), &counts, 1, cmpi_int(), cmpi_comm_world())
        let offsets = Self.offsets(of: counts)
        var all = [UInt8](repeating: 0, count: Int(offsets.last! + counts.last!))
        bytes.withUnsafeBufferPointer { send in
            all.withUnsafeMutableBufferPointer { receive in
                _ = MPI_Allgatherv(
                    send.baseAddress, count, cmpi_byte(), receive.baseAddress, counts, offsets, cmpi_byte(),
                    cmpi_comm_world())
            }
        }
        return Self.split(all, counts: counts, offsets: offsets)
    }

    /// Sends `bytes` from `root` to every process (`MPI_Bcast` of the count, then of the bytes).
    ///
    /// - Parameters:
    ///   - bytes: the bytes on `root`; ignored elsewhere.
    ///   - root: the sending rank (default 0).
    /// - Returns: `root`'s bytes, on every process.
    public func broadcast(bytes: [UInt8], root: Int = 0) -> [UInt8] {
        guard communicates else { return bytes }
        var count = mpiCount(rank == root ? bytes.count : 0)
        MPI_Bcast(&count, 1, cmpi_int(), Int32(root), cmpi_comm_world())
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
        buffer.withUnsafeMutableBufferPointer {
            _ = MPI_Bcast($0.baseAddress, count, cmpi_byte(), Int32(root), cmpi_comm_world())
        }
        return buffer
    }

    private func gatherv<Element: Numeric>(_ values: [Element], datatype: MPI_Datatype, root: Int) -> [[Element]] {
        precondition(root >= 0 && root < size, "gather: root \(root) of \(size)")
        guard communicates else { return [values] }
        var count = mpiCount(values.count)
        var counts = [Int32](repeating: 0, count: rank == root ? size : 0)
        MPI_Gather(&count, 1, cmpi_int(), &counts, 1, cmpi_int(), Int32(root), cmpi_comm_world())
        let offsets = rank == root ? Self.offsets(of: counts) : []
        var all = [Element](repeating: 0, count: rank == root ? Int(offsets.last! + counts.last!) : 0)
        values.withUnsafeBufferPointer { send in
            all.withUnsafeMutableBufferPointer { receive in
                _ = MPI_Gatherv(
                    send.baseAddress, count, datatype, receive.baseAddress, counts, offsets, datatype,
                    Int32(root), cmpi_comm_world())
            }
        }
        return rank == root ? Self.split(all, counts: counts, offsets: offsets) : []
    }

    private static func offsets(of counts: [Int32]) -> [Int32] {
        var offsets = [Int32](repeating: 0, count: counts.count)
        var total = 0
        for (r, c) in counts.enumerated() {
            offsets[r] = mpiCount(total)
            total += Int(c)
        }
        _ = mpiCount(total)
        return offsets
    }

    private static func split<Element>(_ all: [Element], counts: [Int32], offsets: [Int32]) -> [[Element]] {
        zip(offsets, counts).map { Array(all[Int($0) ..< Int($0 + $1)]) }
    }
}
