// The tests draw from the library's own seeded generator (the same sequences as the models and the
// data preparation).
@_exported import struct Hopfield.SplitMix64
