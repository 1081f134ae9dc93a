// The project's seeded generator is defined with the models (random-feature models are defined by a
// seed); data preparation draws from the same one.
@_exported import struct Hopfield.SplitMix64
