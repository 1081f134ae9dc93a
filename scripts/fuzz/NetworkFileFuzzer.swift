// libFuzzer target: the network-file decoder behind the command's size check (scripts/fuzz.sh --libfuzzer).
import Foundation
import HopfieldIO

/// The decoder's input: bytes of a network file; `.npy` references resolve in the corpus folder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNetworkFile(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let data = Data(bytes: bytes, count: count)
    // The command refuses networks of more than ~10⁶ units before decoding (its memory estimate); a
    // document that large is valid input the decoder would build, so it is skipped here the same way.
    if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
       let layers = object["layers"] as? [[String: Any]] {
        var units = 0.0
        for layer in layers {
            if let n = layer["size"] as? NSNumber { units += n.doubleValue }
            if let shape = layer["shape"] as? [NSNumber] { units += shape.reduce(1.0) { $0 * $1.doubleValue } }
        }
        if !(units <= 1_000_000) { return 0 }
    }
    let base = URL(fileURLWithPath: ProcessInfo.processInfo.environment["HOPFIELD_FUZZ_BASE"] ?? ".")
    _ = try? NetworkFile.decode(data: data, baseDirectory: base, fileName: "fuzz.json")
    return 0
}

// SwiftPM links an executable target's entry point as `network_file_fuzzer_main` (main is defined to it), so
// libFuzzer's own main is not linked: run its driver from here.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("network_file_fuzzer_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzNetworkFile)
}
