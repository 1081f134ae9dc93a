/// A failure of one process's part of a collective run.
public struct RankFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rank that failed.
    public var rank: Int
    /// What it reported (one line).
    public var message: String
    /// The exit status it asked for (the caller's convention, e.g. 2 for bad input).
    public var exitCode: Int32

    /// A failure of rank `rank`.
    public init(rank: Int, message: String, exitCode: Int32 = 1) {
        self.rank = rank
        self.message = message
        self.exitCode = exitCode
    }

    /// The message.
    public var description: String { message }
}

extension Communicator {
    /// Tells every process which processes failed: a MAX reduction of one flag, and only when some
    /// process failed, an all-gather of the messages. Collective.
    ///
    /// Every process calls it after its own part of the work, with `nil` when that part succeeded, so a
    /// failure on any rank fails the run on all of them; rank 0 reports it once.
    ///
    /// - Parameter failure: this process's failure (`rank` is overwritten with this process's), or `nil`.
    /// - Returns: every failure, in rank order, on every process; `[]` when all succeeded.
    public func agreeOnFailures(_ failure: RankFailure?) -> [RankFailure] {
        let local = failure.map { RankFailure(rank: rank, message: $0.message, exitCode: $0.exitCode) }
        guard communicates else { return local.map { [$0] } ?? [] }
        guard allreduce(local == nil ? 0 : 1, .max) > 0 else { return [] }
        let encoded = local.map { Array("\($0.exitCode) \($0.message)".utf8) } ?? []
        return allgather(bytes: encoded).enumerated().compactMap { rank, bytes in
            guard !bytes.isEmpty else { return nil }
            let text = String(decoding: bytes, as: UTF8.self)
            let space = text.firstIndex(of: " ")!
            return RankFailure(
                rank: rank, message: String(text[text.index(after: space)...]),
                exitCode: Int32(text[..<space]) ?? 1)
        }
    }

    /// Runs this process's part of a collective step and agrees on its outcome: returns the result
    /// when every process succeeded, and otherwise throws, on every process, the failure of the lowest
    /// failing rank. An error that is not a ``RankFailure`` counts with its description and exit code 1.
    ///
    /// - Parameter body: this process's part.
    /// - Throws: ``RankFailure``, the same on every process.
    public func collectively<T>(_ body: () throws -> T) throws(RankFailure) -> T {
        var result: T?
        var failure: RankFailure?
        do { result = try body() } catch let error as RankFailure { failure = error } catch {
            failure = RankFailure(rank: rank, message: "\(error)")
        }
        if let first = agreeOnFailures(failure).first { throw first }
        return result!
    }
}
