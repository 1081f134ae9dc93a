import COpenBLAS

extension BLAS {
    /// The kernel family ("core") OpenBLAS chose when it was loaded, e.g. `"Prescott"`, `"Haswell"`,
    /// `"SkylakeX"`, `"Cooperlake"`, `"Zen"` (C function `openblas_get_corename`).
    ///
    /// OpenBLAS built with `DYNAMIC_ARCH` (as Debian's is) picks the core once, at load time, from the CPU
    /// or from the environment variable `OPENBLAS_CORETYPE`; changing the variable afterwards has no effect.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration, e.g. `"OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64"`
    /// (C function `openblas_get_config`).
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }
}

/// The CPU's vendor and the feature flags that decide which OpenBLAS core it can run.
///
/// Flags use the Linux `/proc/cpuinfo` spellings: `sse3` (cpuinfo: `pni`), `ssse3`, `sse4_1`, `sse4_2`,
/// `avx`, `fma`, `avx2`, `avx512f`, `avx512dq`, `avx512bw`, `avx512vl`, `avx512_bf16`.
public struct CPUFeatures: Sendable, Equatable {
    /// The CPUID vendor string: `"GenuineIntel"`, `"AuthenticAMD"`, … (empty off x86-64).
    public var vendor: String
    /// The feature flags, `/proc/cpuinfo` spellings.
    public var flags: Set<String>

    /// A CPU described by its vendor and flags.
    public init(vendor: String, flags: Set<String>) {
        self.vendor = vendor
        self.flags = flags
    }

    /// A CPU described by a `/proc/cpuinfo` `flags` line (the `pni` flag is SSE3).
    ///
    /// - Parameters:
    ///   - vendor: the `vendor_id` field.
    ///   - cpuinfoFlags: the space-separated flags, with or without the leading `flags :`.
    public init(vendor: String, cpuinfoFlags: String) {
        var flags = Set(cpuinfoFlags.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
        if flags.contains("pni") { flags.insert("sse3") }
        self.init(vendor: vendor, flags: flags)
    }

    /// This machine's CPU, from the CPUID instruction; the AVX and AVX-512 flags count only when the
    /// operating system saves the wider registers (as in `/proc/cpuinfo`). Empty off x86-64.
    public static var current: CPUFeatures {
        var bytes = [CChar](repeating: 0, count: 13)
        copenblas_cpu_vendor(&bytes)
        let vendor = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let bits = copenblas_cpu_features()
        let table: [(UInt32, String)] = [
            (COPENBLAS_CPU_SSE3, "sse3"), (COPENBLAS_CPU_SSSE3, "ssse3"),
            (COPENBLAS_CPU_SSE4_1, "sse4_1"), (COPENBLAS_CPU_SSE4_2, "sse4_2"),
            (COPENBLAS_CPU_AVX, "avx"), (COPENBLAS_CPU_FMA, "fma"),
            (COPENBLAS_CPU_AVX2, "avx2"), (COPENBLAS_CPU_AVX512F, "avx512f"),
            (COPENBLAS_CPU_AVX512DQ, "avx512dq"), (COPENBLAS_CPU_AVX512BW, "avx512bw"),
            (COPENBLAS_CPU_AVX512VL, "avx512vl"),
            (COPENBLAS_CPU_AVX512_BF16, "avx512_bf16"),
        ]
        return CPUFeatures(vendor: vendor, flags: Set(table.filter { bits & $0.0 != 0 }.map(\.1)))
    }
}

/// Which OpenBLAS core a CPU supports best, and whether the running one is a slower, generic one.
///
/// Cores are ranked by the widest vector instructions their double-precision kernels use:
///
///     SSE:     Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Opteron, Barcelona, Bobcat, …
///     AVX:     Sandybridge, Bulldozer, Piledriver, Steamroller, Excavator
///     AVX2:    Haswell, Zen                     (needs avx2 + fma)
///     AVX-512: SkylakeX, Cooperlake, Sapphirerapids   (needs avx512f + avx512dq + avx512bw + avx512vl)
///
/// The best core for a CPU: `Cooperlake` with `avx512_bf16` as well, else `SkylakeX` with the four AVX-512
/// flags, else `Zen` (AMD) or `Haswell` (others) with avx2 + fma, else `Sandybridge` with avx, else none
/// (the generic kernels are as good as it gets). Only cores that OpenBLAS 0.3.21 (Debian 12) accepts in
/// `OPENBLAS_CORETYPE` are chosen. The running core is *generic on a capable CPU* when its rank is below the
/// best core's rank — e.g. `Prescott` where `SkylakeX` could run, 4–5× slower `dgemm`. A core name this
/// table does not know is never called generic.
public struct BLASCoreSelection: Sendable, Equatable {
    /// The core OpenBLAS runs (its `openblas_get_corename()` spelling).
    public var running: String
    /// The best core the CPU's features allow, or `nil` when no core beats the generic SSE ones.
    public var best: String?

    /// The running core and the best one for the given CPU (a pure function of its arguments).
    ///
    /// - Parameters:
    ///   - cpu: the CPU's vendor and feature flags.
    ///   - running: the core OpenBLAS runs, as `openblas_get_corename()` spells it.
    public init(cpu: CPUFeatures, running: String) {
        self.running = running
        self.best = Self.bestCore(for: cpu)
    }

    /// The selection for this process: `CPUFeatures.current` and `BLAS.coreName`.
    public static var current: BLASCoreSelection {
        BLASCoreSelection(cpu: .current, running: BLAS.coreName)
    }

    /// Whether OpenBLAS runs a core of lower rank than the CPU supports (generic kernels on a capable CPU).
    public var runsGenericOnCapableCPU: Bool {
        guard let best, let bestRank = Self.rank(of: best), let runningRank = Self.rank(of: running) else { return false }
        return runningRank < bestRank
    }

    /// The best core for a CPU, or `nil` when no core beats the generic SSE kernels.
    public static func bestCore(for cpu: CPUFeatures) -> String? {
        let f = cpu.flags
        let avx512 = ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(f.contains)
        if avx512 && f.contains("avx512_bf16") { return "Cooperlake" }
        if avx512 { return "SkylakeX" }
        if f.contains("avx2") && f.contains("fma") { return cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine" ? "Zen" : "Haswell" }
        if f.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// The rank of a core (0 SSE, 1 AVX, 2 AVX2, 3 AVX-512), case-insensitive; `nil` for a name not in the table.
    public static func rank(of core: String) -> Int? {
        rankTable[core.lowercased()]
    }

    private static let rankTable: [String: Int] = {
        var table: [String: Int] = [:]
        for name in [
            "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn", "dunnington",
            "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat",
        ] { table[name] = 0 }
        for name in ["sandybridge", "bulldozer", "piledriver", "steamroller", "excavator"] { table[name] = 1 }
        for name in ["haswell", "zen"] { table[name] = 2 }
        for name in ["skylakex", "cooperlake", "sapphirerapids"] { table[name] = 3 }
        return table
    }()
}
