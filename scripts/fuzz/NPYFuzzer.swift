// libFuzzer target: the .npy reader (scripts/fuzz.sh --libfuzzer).
import Foundation
import Hopfield

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    _ = try? NPY.read(data: Data(bytes: bytes, count: count), source: "fuzz.npy")
    return 0
}
