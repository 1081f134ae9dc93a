// libFuzzer target: the .npy reader (scripts/fuzz.sh --libfuzzer).
import Foundation
import HopfieldIO

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    _ = try? NPY.read(data: Data(bytes: bytes, count: count), source: "fuzz.npy")
    return 0
}

// SwiftPM links an executable target's entry point as `npy_fuzzer_main` (main is defined to it), so
// libFuzzer's own main is not linked: run its driver from here.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("npy_fuzzer_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzNPY)
}
