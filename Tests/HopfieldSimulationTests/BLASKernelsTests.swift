import Foundation
@testable import HopfieldSimulation
import LinearAlgebra
import Testing

/// The start-up rule for the OpenBLAS core, and the same results with generic and with the best kernels.
@Suite("OpenBLAS core at start-up")
struct BLASCoreStartupTests {
    static let xeon = CPUFeatures(
        vendor: "GenuineIntel",
        flags: ["sse3", "ssse3", "sse4_1", "sse4_2", "avx", "fma", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_bf16"])
    static let generic = BLASCoreSelection(cpu: xeon, running: "Prescott")

    @Test("generic kernels, nothing set: restart once with the best core")
    func restart() {
        #expect(blasCoreAction(Self.generic, environment: [:]) == .restart(core: "Cooperlake"))
        #expect(blasCoreAction(Self.generic, environment: ["PATH": "/usr/bin"]) == .restart(core: "Cooperlake"))
    }

    @Test("after the restart: never again; a warning if the kernels are still generic")
    func noLoop() {
        let env = ["OPENBLAS_CORETYPE": "Cooperlake", blasRestartMarker: "Cooperlake"]
        guard case .warn(let message) = blasCoreAction(Self.generic, environment: env) else {
            Issue.record("expected a warning")
            return
        }
        #expect(message.contains("Prescott") && message.contains("OPENBLAS_CORETYPE=Cooperlake"))
        #expect(!message.contains("\n"))
        // The marker alone (the user removed OPENBLAS_CORETYPE in between) still stops a second restart.
        #expect(blasCoreAction(Self.generic, environment: [blasRestartMarker: "Cooperlake"]) != .restart(core: "Cooperlake"))
        let fixed = BLASCoreSelection(cpu: Self.xeon, running: "Cooperlake")
        #expect(blasCoreAction(fixed, environment: env) == .none)
    }

    @Test("a value the user set wins, even an empty one: no restart; silent when it names the running core")
    func userWins() {
        #expect(blasCoreAction(Self.generic, environment: ["OPENBLAS_CORETYPE": "Prescott"]) == .none)
        #expect(blasCoreAction(Self.generic, environment: ["OPENBLAS_CORETYPE": "prescott"]) == .none)
        for value in ["", "Bogus", "Haswell"] {
            let action = blasCoreAction(Self.generic, environment: ["OPENBLAS_CORETYPE": value])
            guard case .warn = action else {
                Issue.record("OPENBLAS_CORETYPE=\(value): expected a warning, got \(action)")
                continue
            }
        }
    }

    @Test("the best core already, or a CPU with nothing better: nothing to do")
    func nothing() {
        #expect(blasCoreAction(BLASCoreSelection(cpu: Self.xeon, running: "SkylakeX"), environment: [:]) == .none)
        let old = CPUFeatures(vendor: "GenuineIntel", flags: ["sse3", "ssse3"])
        #expect(blasCoreAction(BLASCoreSelection(cpu: old, running: "Prescott"), environment: [:]) == .none)
    }
}
