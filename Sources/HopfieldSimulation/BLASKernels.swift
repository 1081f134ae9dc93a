import Foundation
import LinearAlgebra

/// The environment marker set by the one restart of `ensureBestBLASCore()`: it holds the core the restart
/// asked for, and a process that sees it never restarts again.
let blasRestartMarker = "HOPFIELD_OPENBLAS_RESTARTED"

/// What `hopfield` does about the OpenBLAS core at start-up.
enum BLASCoreAction: Equatable {
    /// The core is the best the CPU allows, or the user chose it: nothing to do.
    case none
    /// Generic kernels on a capable CPU and `OPENBLAS_CORETYPE` unset: run again with this core.
    case restart(core: String)
    /// Still generic kernels on a capable CPU (after the restart, or with a user setting that did not
    /// name the running core): say so once on stderr.
    case warn(String)
}

/// The start-up decision, a pure function of the core selection and the environment.
///
/// A value of `OPENBLAS_CORETYPE` that the user set always wins, even an empty one: no restart; a warning
/// only when the running core is not the one it names. The restart happens at most once (the marker).
func blasCoreAction(_ selection: BLASCoreSelection, environment: [String: String]) -> BLASCoreAction {
    guard selection.runsGenericOnCapableCPU, let best = selection.best else { return .none }
    let requested = environment["OPENBLAS_CORETYPE"]
    let restarted = environment[blasRestartMarker] != nil
    if requested == nil && !restarted { return .restart(core: best) }
    if !restarted, let requested, requested.lowercased() == selection.running.lowercased() { return .none }
    return .warn(
        "hopfield: warning: OpenBLAS runs its generic \(selection.running) kernels although this CPU supports "
            + "\(best) (matrix products several times slower); set OPENBLAS_CORETYPE=\(best) to use them")
}

/// For an executable to call first in `main()` (`hopfield` does): when OpenBLAS runs generic kernels on a CPU that supports better ones and
/// `OPENBLAS_CORETYPE` is unset, replaces this process by itself (same arguments) with `OPENBLAS_CORETYPE`
/// set to the best core — OpenBLAS reads the variable only when it is loaded. Warns once on stderr when
/// generic kernels still run. Returns normally in every other case.
public func ensureBestBLASCore() {
    #if os(Linux)
    let selection = BLASCoreSelection.current
    switch blasCoreAction(selection, environment: ProcessInfo.processInfo.environment) {
    case .none:
        return
    case .restart(let core):
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(blasRestartMarker, core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when execv failed: carry on with the generic kernels.
        unsetenv("OPENBLAS_CORETYPE")
        FileHandle.standardError.write(Data(
            "hopfield: warning: OpenBLAS runs its generic \(selection.running) kernels although this CPU supports \(core), and restarting with OPENBLAS_CORETYPE=\(core) failed\n".utf8))
    case .warn(let message):
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
    #endif
}

/// One line for `hopfield bench`: the OpenBLAS core in use and the best one for this CPU.
public func blasCoreNote() -> String {
    let selection = BLASCoreSelection.current
    let best = selection.best.map { $0 == selection.running ? " (the best for this CPU)" : " (best for this CPU: \($0))" } ?? ""
    return "OpenBLAS core: \(selection.running)\(best)"
}
