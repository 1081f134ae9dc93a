/// One bilinear synapse located in a flat state and in an evaluator's contiguous weight buffer
/// (shared by ``NetworkEvaluator`` and ``BatchedEvaluator``).
struct DenseBlock {
    var preOffset: Int
    var preSize: Int
    var postOffset: Int
    var postSize: Int
    var preLayer: Int
    var postLayer: Int
    /// Start of the row-major `[postSize, preSize]` weights in the evaluator's weight buffer.
    var weightOffset: Int
}
