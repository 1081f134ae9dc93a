import Hopfield

/// The stored pattern nearest to a feature state, found among the memories of a network split over
/// processes (`SplitMemoryNetwork`): the row of `W` closest (Euclidean) to the feature layer's
/// activation `g_F(x_F)`, the same search as `Network.nearestStoredPattern(ofLayer:to:)` of the whole
/// network.
public struct SplitPatternMatch: Sendable, Hashable {
    /// The row of the whole weight matrix (the memory unit), `0 ..< K`.
    public var index: Int
    /// `‖W_index − g_F(x_F)‖₂`.
    public var distance: Double
    /// The row itself, `N` numbers.
    public var pattern: [Double]
}

extension SplitMemoryNetwork {
    /// For every feature state, the nearest stored pattern among the rows every process holds (collective:
    /// every process calls it with the same `count`).
    ///
    /// Process 0's `featureStates` (its `N`-entry feature-layer states) are broadcast; each process
    /// searches its own rows, one SUM reduction of `2 R · count` numbers tells every process the best row
    /// of each block, and one SUM of `N · count` numbers delivers the winning rows (each from the process
    /// that holds it). Distances are computed as one process computes them, so the index and distance
    /// equal those of the whole network's search (ties go to the lowest index).
    ///
    /// - Parameters:
    ///   - featureStates: the feature-layer states, on process 0 (ignored elsewhere).
    ///   - count: how many states (the same on every process).
    /// - Returns: one match per state, on every process.
    public func nearestStoredPatterns(to featureStates: [[Double]], count: Int) -> [SplitPatternMatch] {
        let n = featureCount, processes = processCount, me = rank
        var states = [Double](repeating: 0, count: count * n)
        if me == 0 {
            for (b, s) in featureStates.prefix(count).enumerated() where s.count == n {
                for j in 0 ..< n { states[b * n + j] = s[j] }
            }
        }
        states.withUnsafeMutableBufferPointer { reduction?.broadcast($0, from: 0) }
        // (squared distance, global row) of this process's best row per state, in the process's slot.
        var table = [Double](repeating: 0, count: 2 * processes * count)
        for b in 0 ..< count {
            let g = features.lagrangian.activation(Array(states[b * n ..< (b + 1) * n]))
            var best = (row: -1, squared: Double.infinity)
            for k in 0 ..< localMemoryCount {
                var d = 0.0
                for j in 0 ..< n {
                    let e = weights[k * n + j] - g[j]
                    d += e * e
                }
                if d < best.squared { best = (k, d) }
            }
            let slot = 2 * (b * processes + me)
            table[slot] = best.squared
            table[slot + 1] = best.row < 0 ? -1 : Double(rowOffset + best.row)
        }
        table.withUnsafeMutableBufferPointer { reduction?.sum($0) }
        var matches: [SplitPatternMatch] = []
        var rows = [Double](repeating: 0, count: count * n)
        var owners: [Int] = []
        for b in 0 ..< count {
            var owner = 0
            for q in 1 ..< processes where table[2 * (b * processes + q)] < table[2 * (b * processes + owner)] {
                owner = q
            }
            owners.append(owner)
            let slot = 2 * (b * processes + owner)
            matches.append(SplitPatternMatch(index: Int(table[slot + 1]), distance: table[slot].squareRoot(), pattern: []))
            if owner == me, matches[b].index >= rowOffset {
                let local = matches[b].index - rowOffset
                for j in 0 ..< n { rows[b * n + j] = weights[local * n + j] }
            }
        }
        rows.withUnsafeMutableBufferPointer { reduction?.sum($0) }
        for b in 0 ..< count { matches[b].pattern = Array(rows[b * n ..< (b + 1) * n]) }
        return matches
    }
}
