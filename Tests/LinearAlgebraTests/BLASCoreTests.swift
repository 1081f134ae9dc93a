import Foundation
import LinearAlgebra
import Testing

/// The OpenBLAS core selection: the best core from CPU flags, and when the running core counts as generic.
@Suite("OpenBLAS core selection")
struct BLASCoreTests {
    // /proc/cpuinfo flag lines, shortened to the SIMD part plus some unrelated flags.
    static let core2 = "fpu vme sse sse2 ht pni ssse3 cx16 lahf_lm"
    static let nehalem = "fpu sse sse2 pni ssse3 sse4_1 sse4_2 popcnt"
    static let sandyBridge = "fpu sse sse2 pni ssse3 sse4_1 sse4_2 popcnt aes xsave avx"
    static let haswell = "fpu sse sse2 pni ssse3 fma sse4_1 sse4_2 movbe popcnt xsave avx f16c bmi1 avx2 bmi2"
    static let skylakeX = haswell + " avx512f avx512dq avx512cd avx512bw avx512vl"
    // Intel Xeon family 6 model 207 (Emerald Rapids): the machine of the report.
    static let emeraldRapids = skylakeX + " avx512ifma avx512vbmi avx512_bf16 avx512_vnni amx_bf16 amx_tile amx_int8"
    // AMD EPYC family 25 (Zen 4), this repository's build machine.
    static let zen4 = haswell + " sse4a avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi"
    static let zen2 = haswell + " sse4a clzero"
    // Xeon Phi (Knights Landing): AVX-512 F and CD but not DQ/BW/VL, so no SkylakeX kernels.
    static let knightsLanding = haswell + " avx512f avx512pf avx512er avx512cd"

    @Test("the best core follows the widest complete set of SIMD flags", arguments: [
        ("GenuineIntel", core2, nil), ("GenuineIntel", nehalem, nil), ("GenuineIntel", sandyBridge, "Sandybridge"),
        ("GenuineIntel", haswell, "Haswell"), ("GenuineIntel", skylakeX, "SkylakeX"),
        ("GenuineIntel", emeraldRapids, "Cooperlake"), ("AuthenticAMD", zen4, "Cooperlake"),
        ("AuthenticAMD", zen2, "Zen"), ("HygonGenuine", zen2, "Zen"), ("GenuineIntel", knightsLanding, "Haswell"),
        ("", "", nil),
    ] as [(String, String, String?)])
    func best(vendor: String, flags: String, expected: String?) {
        #expect(BLASCoreSelection.bestCore(for: CPUFeatures(vendor: vendor, cpuinfoFlags: flags)) == expected)
    }

    @Test("avx2 without fma, or AVX-512 flags without the OS's avx, fall back a rank")
    func incompleteSets() {
        #expect(BLASCoreSelection.bestCore(for: CPUFeatures(vendor: "GenuineIntel", flags: ["avx", "avx2"])) == "Sandybridge")
        #expect(BLASCoreSelection.bestCore(for: CPUFeatures(vendor: "GenuineIntel", flags: ["avx512f", "avx512dq", "avx512bw"])) == nil)
        // bf16 alone does not make a Cooperlake: the four AVX-512 flags are required.
        #expect(BLASCoreSelection.bestCore(for: CPUFeatures(vendor: "GenuineIntel", flags: ["avx", "avx2", "fma", "avx512_bf16"])) == "Haswell")
    }

    @Test("generic on a capable CPU: a lower-rank core than the flags allow, case-insensitive")
    func generic() {
        let xeon = CPUFeatures(vendor: "GenuineIntel", cpuinfoFlags: Self.emeraldRapids)
        #expect(BLASCoreSelection(cpu: xeon, running: "Prescott").runsGenericOnCapableCPU)
        #expect(BLASCoreSelection(cpu: xeon, running: "Haswell").runsGenericOnCapableCPU)
        #expect(BLASCoreSelection(cpu: xeon, running: "Sandybridge").runsGenericOnCapableCPU)
        // Same rank as the best (SkylakeX and Cooperlake share the double-precision kernels): not generic.
        #expect(!BLASCoreSelection(cpu: xeon, running: "SkylakeX").runsGenericOnCapableCPU)
        #expect(!BLASCoreSelection(cpu: xeon, running: "cooperlake").runsGenericOnCapableCPU)
        // A name the table does not know is never called generic.
        #expect(!BLASCoreSelection(cpu: xeon, running: "SomeFutureLake").runsGenericOnCapableCPU)
        let amd = CPUFeatures(vendor: "AuthenticAMD", cpuinfoFlags: Self.zen2)
        #expect(BLASCoreSelection(cpu: amd, running: "Prescott").runsGenericOnCapableCPU)
        #expect(!BLASCoreSelection(cpu: amd, running: "Haswell").runsGenericOnCapableCPU)
        #expect(!BLASCoreSelection(cpu: amd, running: "Zen").runsGenericOnCapableCPU)
        // Nothing beats the generic kernels on an SSE-only CPU.
        let old = CPUFeatures(vendor: "GenuineIntel", cpuinfoFlags: Self.core2)
        #expect(!BLASCoreSelection(cpu: old, running: "Prescott").runsGenericOnCapableCPU)
        #expect(BLASCoreSelection(cpu: old, running: "Prescott").best == nil)
    }

    @Test("ranks: SSE 0, AVX 1, AVX2 2, AVX-512 3; unknown names none")
    func ranks() {
        #expect(BLASCoreSelection.rank(of: "Prescott") == 0)
        #expect(BLASCoreSelection.rank(of: "Sandybridge") == 1)
        #expect(BLASCoreSelection.rank(of: "Haswell") == 2)
        #expect(BLASCoreSelection.rank(of: "Zen") == 2)
        #expect(BLASCoreSelection.rank(of: "SkylakeX") == 3)
        #expect(BLASCoreSelection.rank(of: "Cooperlake") == 3)
        #expect(BLASCoreSelection.rank(of: "") == nil)
    }

    /// CPUID (through the C shim) against the kernel's view of the same CPU: the SIMD flags must agree.
    @Test("CPUID features agree with /proc/cpuinfo", .enabled(if: FileManager.default.fileExists(atPath: "/proc/cpuinfo")))
    func cpuidMatchesCpuinfo() throws {
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let lines = text.split(separator: "\n")
        guard let flagsLine = lines.first(where: { $0.hasPrefix("flags") }),
              let vendorLine = lines.first(where: { $0.hasPrefix("vendor_id") })
        else { return }  // not x86 (e.g. arm64 writes "Features")
        let fromKernel = CPUFeatures(
            vendor: String(vendorLine.split(separator: ":")[1]).trimmingCharacters(in: .whitespaces),
            cpuinfoFlags: String(flagsLine.split(separator: ":")[1]))
        let fromCPUID = CPUFeatures.current
        let relevant: Set = [
            "sse3", "ssse3", "sse4_1", "sse4_2", "avx", "fma", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl",
            "avx512_bf16",
        ]
        #expect(fromCPUID.vendor == fromKernel.vendor)
        #expect(fromCPUID.flags == fromKernel.flags.intersection(relevant))
        #expect(BLASCoreSelection.bestCore(for: fromCPUID) == BLASCoreSelection.bestCore(for: fromKernel))
    }

    @Test("OpenBLAS reports a core this table ranks")
    func running() {
        let core = BLAS.coreName
        #expect(!core.isEmpty)
        #if arch(x86_64)
        #expect(BLASCoreSelection.rank(of: core) != nil, "unranked OpenBLAS core \(core)")
        #endif
        #expect(BLAS.configuration.contains("OpenBLAS"))
    }
}
