/// A split of `count` items into `parts` contiguous blocks that differ in length by at most one.
///
/// Part `r` owns `offset(r) ..< offset(r) + length(r)`; the first `count mod parts` parts hold one item
/// more:
///
///     length(r) = ⌊count / parts⌋ + (r < count mod parts ? 1 : 0)
///     offset(r) = r ⌊count / parts⌋ + min(r, count mod parts)
///
/// Concatenating the blocks in part order gives `0 ..< count`, so results gathered in rank order are
/// in item order.
public struct BlockPartition: Sendable, Hashable {
    /// The number of items.
    public let count: Int
    /// The number of blocks (processes).
    public let parts: Int

    /// A split of `count ≥ 0` items into `parts ≥ 1` blocks.
    public init(count: Int, parts: Int) {
        precondition(count >= 0 && parts >= 1, "BlockPartition: count \(count), parts \(parts)")
        self.count = count
        self.parts = parts
    }

    /// The items of part `part`.
    public func range(of part: Int) -> Range<Int> {
        precondition(part >= 0 && part < parts, "BlockPartition: part \(part) of \(parts)")
        let base = count / parts, extra = count % parts
        let start = part * base + min(part, extra)
        return start ..< start + base + (part < extra ? 1 : 0)
    }

    /// The length of every block, in part order.
    public var lengths: [Int] { (0 ..< parts).map { range(of: $0).count } }
}
