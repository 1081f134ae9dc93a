import Foundation
import HopfieldIO
#if canImport(Glibc)
import Glibc
#endif

/// Writes an output folder (`--out DIR`) whole or not at all, and never deletes what hopfield did not write.
///
/// Rules (docs/cli.md, "Output folders"):
/// - refused always: the empty path, `.`, `..`, `/`, the home folder, the current folder or one of its
///   ancestors, and a folder that holds one of the run's input files;
/// - refused unless `--force`: an existing folder that is not a previous hopfield output (no
///   `.hopfield-output` marker, and files other than hopfield's output names), a symbolic link;
/// - files go to a staging sibling `.NAME.partial-PID-RANDOM`, which replaces `DIR` only when every file
///   was written: by an atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`), so there is no moment in
///   which neither the old nor the new folder exists; where the file system cannot exchange, the old folder
///   is moved aside to `.NAME.old-PID-RANDOM` and put back on any failure;
/// - SIGINT/SIGTERM/SIGHUP during the write remove the staging folder (and put an old folder back);
///   staging folders left by processes that no longer run (killed with SIGKILL) are cleaned by the next run;
/// - two runs writing the same folder both succeed, the last one to finish wins.
enum OutputFolder {
    /// The marker file every output folder carries.
    static let markerName = ".hopfield-output"

    /// The names earlier versions wrote (folders without the marker that hold only these are outputs).
    static let knownNames: Set<String> = [
        "summary.json", "times.npy", "trajectory.npy", "energy.csv", "energy.svg", "states.svg", "report.json",
        "trajectory.csv", "jacobian_spectrum.svg", "lyapunov.svg", "capacity.csv", "capacity.json", "capacity.svg",
        "fixed_point.npy", "jacobian_eigenvalues.npy", "lagrangian_hessian_eigenvalues.npy",
        "energy_hessian_eigenvalues.npy", "range_eigenvalues.npy", "kernel_eigenvalues.npy",
        "energy_hessian_range_eigenvalues.npy", "flat_basis.npy", "drdam.json", "drdam.csv", "drdam.svg", markerName,
    ]

    /// The checked destination of an output folder.
    struct Target {
        /// The path as the user wrote it (for messages).
        var given: String
        /// The parent folder, symbolic links resolved.
        var parent: String
        /// The last path component.
        var name: String
        /// `parent/name`.
        var path: String { parent == "/" ? "/" + name : parent + "/" + name }
    }

    // MARK: Checks

    /// Checks `--out` before any work is done: the rules above, the parent folder exists, no file of that name.
    ///
    /// - Parameters:
    ///   - path: the value of `--out`.
    ///   - force: whether `--force` was given (allows replacing a folder hopfield did not write).
    ///   - inputs: the run's input files (network file, `.npy` files); their folders are never replaced.
    ///   - flag: the flag name for messages.
    /// - Throws: ``CLIError`` with exit status 2 (bad input).
    @discardableResult
    static func check(_ path: String, force: Bool, inputs: [String] = [], flag: String = "--out") throws(CLIError) -> Target {
        let shown = Message.name(path)
        guard !path.isEmpty else { throw .badInput("\(flag): the path is empty (name a new folder)") }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let lastComponent = components.last else {
            throw .badInput("\(flag) \(shown): refusing to replace the root folder")
        }
        if lastComponent == "." || lastComponent == ".." {
            throw .badInput("\(flag) \(shown): refusing to replace \(lastComponent == "." ? "the current folder" : "a parent folder") (name a new folder)")
        }
        if path.utf8.contains(0) { throw .badInput("\(flag) \(shown): the path contains a NUL byte") }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        let parentURL = absolute.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parentURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .badInput("\(flag) \(shown): the folder \(Message.name(parentURL.path)) does not exist")
        }
        let parent = realPath(parentURL.path) ?? parentURL.path
        let target = Target(given: path, parent: parent, name: String(lastComponent))
        let full = target.path
        func isSameOrInside(_ other: String) -> Bool { other == full || other.hasPrefix(full + "/") }
        if let cwd = realPath(FileManager.default.currentDirectoryPath), isSameOrInside(cwd) {
            throw .badInput("\(flag) \(shown): refusing to replace a folder that contains the current folder (name a new folder)")
        }
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty, let h = realPath(home), h == full {
            throw .badInput("\(flag) \(shown): refusing to replace the home folder")
        }
        for input in inputs where !input.isEmpty {
            let resolved = realPath(input) ?? URL(fileURLWithPath: input).standardizedFileURL.path
            if isSameOrInside(resolved) {
                throw .badInput("\(flag) \(shown): the folder holds the input \(Message.name(input)); it would be deleted (name a new folder)")
            }
        }
        var info = stat()
        if lstat(full, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if !force, !isPreviousOutput(full) {
                    throw .badInput("\(flag) \(shown): the folder exists and was not written by hopfield (no \(markerName) marker); name a new folder, or pass --force to replace it")
                }
            case S_IFLNK:
                if !force {
                    throw .badInput("\(flag) \(shown): is a symbolic link; name a new folder, or pass --force to replace the link")
                }
            default:
                throw .badInput("\(flag) \(shown): a file of that name exists")
            }
        }
        return target
    }

    /// Whether the folder is empty, carries the marker, or holds only names hopfield writes (`state_NNN`
    /// subfolders included).
    static func isPreviousOutput(_ path: String) -> Bool {
        let fm = FileManager.default
        if fm.fileExists(atPath: path + "/" + markerName) { return true }
        guard let entries = try? fm.contentsOfDirectory(atPath: path) else { return false }
        for entry in entries {
            if knownNames.contains(entry) { continue }
            if entry.hasPrefix("state_"), entry.dropFirst(6).allSatisfy(\.isNumber),
               let inner = try? fm.contentsOfDirectory(atPath: path + "/" + entry),
               inner.allSatisfy({ knownNames.contains($0) }) { continue }
            return false
        }
        return true
    }

    // MARK: Writing

    /// Writes the folder: `body` fills a staging folder, which then replaces `path` (see the type's rules).
    ///
    /// - Parameters:
    ///   - path: the value of `--out`.
    ///   - force: whether `--force` was given.
    ///   - inputs: the run's input files.
    ///   - document: printed on stdout before a failure is thrown (the JSON promised by `--json`).
    ///   - body: writes the files into the folder it is given.
    /// - Throws: ``CLIError``: 2 for a refused `--out`, 1 when the folder could not be written (one line
    ///   naming the path and the system's reason).
    static func write(
        to path: String, force: Bool = false, inputs: [String] = [], document: JSON? = nil,
        _ body: (URL) throws -> Void
    ) throws {
        do {
            try writeFolder(to: path, force: force, inputs: inputs, body)
        } catch {
            if let document { print(document.serialized()) }
            throw error
        }
    }

    private static func writeFolder(to path: String, force: Bool, inputs: [String], _ body: (URL) throws -> Void) throws {
        let target = try check(path, force: force, inputs: inputs)
        // Under mpirun only rank 0 writes (the others checked the same path above and stop here).
        guard ProcessRole.reports else { return }
        let shown = Message.name(path)
        cleanStale(target)
        SignalCleanup.install()
        let pid = getpid()
        let tag = "\(pid)-\(UInt32.random(in: 0 ... UInt32.max))"
        let staging = "\(target.parent)/.\(target.name).partial-\(tag)"
        guard mkdir(staging, 0o755) == 0 else {
            throw CLIError.failed("--out \(shown): could not create \(Message.name(staging)): \(Message.systemReason(errno))")
        }
        let id = SignalCleanup.register(staging: staging)
        defer { SignalCleanup.unregister(id) }
        do {
            try body(URL(fileURLWithPath: staging, isDirectory: true))
            let marker = "hopfield output folder (written by: \(CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "hopfield") \(CommandLine.arguments.dropFirst().first ?? ""))\n"
            try Data(marker.utf8).write(to: URL(fileURLWithPath: staging + "/" + markerName))
        } catch {
            removeTree(staging)
            if let e = error as? CLIError { throw e }
            // Name the file as it would have been in DIR, not in the hidden staging folder.
            let text = Message.ioFailure(error).replacingOccurrences(of: Message.name(staging), with: Message.name(target.path))
            throw CLIError.failed("--out \(shown): could not write the output folder: \(text)")
        }
        if Rename.fault.contains("pause-before-publish") { sleep(60) }  // test-only: a window to send a signal in
        try publish(staging: staging, target: target, force: force, tag: tag, id: id)
    }

    /// Moves the complete staging folder into place (exchange, or move-aside with restore).
    private static func publish(staging: String, target: Target, force: Bool, tag: String, id: Int) throws(CLIError) {
        let shown = Message.name(target.given)
        let full = target.path
        func fail(_ what: String, _ code: Int32) -> CLIError {
            removeTree(staging)
            return .failed("--out \(shown): could not \(what): \(Message.systemReason(code))")
        }
        for _ in 0 ..< 100 {
            var info = stat()
            if lstat(full, &info) != 0 {
                // No folder there: move in, unless one appeared meanwhile.
                switch Rename.noReplace(staging, full) {
                case .done: return
                case .failed(let e) where e == EEXIST || e == ENOTEMPTY: continue
                case .failed(let e): throw fail("move the new folder into place", e)
                case .unsupported:
                    let e = Rename.plain(staging, full, final: true)
                    if e == 0 { return }
                    if e == EEXIST || e == ENOTEMPTY { continue }
                    throw fail("move the new folder into place", e)
                }
            }
            let kind = info.st_mode & S_IFMT
            if kind != S_IFDIR, !(force && kind == S_IFLNK) {
                removeTree(staging)
                throw .badInput("--out \(shown): a file of that name appeared during the run; nothing was replaced")
            }
            if !force, kind == S_IFDIR, !isPreviousOutput(full) {
                removeTree(staging)
                throw .badInput("--out \(shown): the folder appeared during the run and was not written by hopfield; nothing was replaced")
            }
            let exchanged: Rename.Outcome = SignalCleanup.locked { () -> Rename.Outcome in
                let outcome = Rename.exchange(staging, full)
                if case .done = outcome { SignalCleanup.setStagingHoldsOld(id) }
                return outcome
            }
            switch exchanged {
            case .done:
                removeTree(staging)  // it now holds the old folder
                return
            case .failed(let e) where e == ENOENT: continue  // the old folder vanished meanwhile
            case .failed(let e): throw fail("replace the old folder", e)
            case .unsupported:
                let old = "\(target.parent)/.\(target.name).old-\(tag)"
                let moved: Int32 = SignalCleanup.locked {
                    if rename(full, old) != 0 { return errno }
                    SignalCleanup.setMovedAside(id, old: old, target: full)
                    return 0
                }
                if moved == ENOENT { continue }
                if moved != 0 { throw fail("move the old folder aside", moved) }
                let placed: Int32 = SignalCleanup.locked {
                    let e = Rename.plain(staging, full, final: true)
                    if e == 0 { return 0 }  // the handler now removes `old` (target exists)
                    _ = rename(old, full)  // put the old folder back
                    SignalCleanup.setMovedAside(id, old: nil, target: full)
                    return e
                }
                if placed != 0 { throw fail("move the new folder into place (the old folder was put back)", placed) }
                removeTree(old)
                return
            }
        }
        removeTree(staging)
        throw .failed("--out \(shown): the folder kept changing while it was being replaced (another run writing it?); nothing was replaced")
    }

    /// Removes `.NAME.partial-PID…` and `.NAME.old-PID…` siblings whose process no longer runs; an old
    /// folder whose replacement never arrived is put back.
    static func cleanStale(_ target: Target) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: target.parent) else { return }
        for entry in entries {
            for kind in ["partial", "old"] {
                let prefix = ".\(target.name).\(kind)-"
                guard entry.hasPrefix(prefix) else { continue }
                let digits = entry.dropFirst(prefix.count).prefix { $0.isNumber }
                guard let pid = pid_t(digits), pid > 0, pid != getpid() else { continue }
                guard kill(pid, 0) != 0, errno == ESRCH else { continue }  // still running (or not ours to judge)
                let stale = target.parent + "/" + entry
                var info = stat()
                if kind == "old", lstat(target.path, &info) != 0, rename(stale, target.path) == 0 { continue }
                removeTree(stale)
            }
        }
    }

    /// Removes a folder and everything in it, ignoring errors (retries once for files created meanwhile).
    static func removeTree(_ path: String) {
        for _ in 0 ..< 3 {
            try? FileManager.default.removeItem(atPath: path)
            var info = stat()
            if lstat(path, &info) != 0 { return }
        }
    }

    /// `realpath(3)`, nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Writes UTF-8 text.
    static func text(_ s: String, _ url: URL) throws { try Data(s.utf8).write(to: url) }
}

/// `renameat2(2)` (looked up at run time: Swift's Glibc module does not declare it).
enum Rename {
    enum Outcome { case done, failed(Int32), unsupported }

    private typealias Function = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let function: Function? = {
        #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
        #else
        return nil
        #endif
    }()

    /// Atomically swaps two existing paths (`RENAME_EXCHANGE`).
    static func exchange(_ a: String, _ b: String) -> Outcome { call(a, b, flags: 2) }
    /// Renames unless the destination exists (`RENAME_NOREPLACE`).
    static func noReplace(_ a: String, _ b: String) -> Outcome { call(a, b, flags: 1) }

    /// Test-only fault injection (`HOPFIELD_FAULT_INJECTION`): `no-exchange` makes `renameat2` look
    /// unsupported (the move-aside path runs), `fail-final-rename` makes the move of the new folder into
    /// place fail with EIO (the old folder must survive), `pause-before-publish` waits 60 s with the complete
    /// staging folder (for signal tests).
    static let fault = ProcessInfo.processInfo.environment["HOPFIELD_FAULT_INJECTION"] ?? ""

    /// `rename(2)`, returning 0 or the errno (with the injected fault for the final move).
    static func plain(_ a: String, _ b: String, final: Bool) -> Int32 {
        if final, fault.contains("fail-final-rename") { return EIO }
        return rename(a, b) == 0 ? 0 : errno
    }

    private static func call(_ a: String, _ b: String, flags: UInt32) -> Outcome {
        if fault.contains("no-exchange") { return .unsupported }
        if fault.contains("fail-final-rename") { return .failed(EIO) }
        guard let function else { return .unsupported }
        if function(AT_FDCWD, a, AT_FDCWD, b, flags) == 0 { return .done }
        let e = errno
        return e == EINVAL || e == ENOSYS || e == ENOTSUP ? .unsupported : .failed(e)
    }
}

/// Removes the staging folders of this process when it is interrupted (SIGINT, SIGTERM, SIGHUP), then
/// dies of the signal as it would have without the handler.
enum SignalCleanup {
    private enum Phase { case writing, stagingHoldsOld, movedAside(old: String, target: String) }
    private final class State: @unchecked Sendable {
        let lock = NSRecursiveLock()
        var entries: [Int: (staging: String, phase: Phase)] = [:]
        var next = 0
        var sources: [DispatchSourceSignal] = []
        var installed = false
    }
    private static let state = State()

    /// Runs `body` with the cleanup lock held (a signal arriving meanwhile is handled after it).
    static func locked<T>(_ body: () -> T) -> T {
        state.lock.lock()
        defer { state.lock.unlock() }
        return body()
    }

    static func register(staging: String) -> Int {
        locked {
            state.next += 1
            state.entries[state.next] = (staging, .writing)
            return state.next
        }
    }

    static func unregister(_ id: Int) { locked { _ = state.entries.removeValue(forKey: id) } }
    static func setStagingHoldsOld(_ id: Int) { locked { state.entries[id]?.phase = .stagingHoldsOld } }
    static func setMovedAside(_ id: Int, old: String?, target: String) {
        locked { state.entries[id]?.phase = old.map { .movedAside(old: $0, target: target) } ?? .writing }
    }

    /// Installs the handlers once (dispatch sources: the cleanup runs outside signal context).
    static func install() {
        locked {
            guard !state.installed else { return }
            state.installed = true
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
                source.setEventHandler { handle(sig) }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    private static func handle(_ sig: Int32) {
        state.lock.lock()  // held until the process ends: the writer cannot start a rename meanwhile
        for (_, entry) in state.entries {
            switch entry.phase {
            case .writing, .stagingHoldsOld:
                OutputFolder.removeTree(entry.staging)
            case .movedAside(let old, let target):
                OutputFolder.removeTree(entry.staging)
                var info = stat()
                if lstat(target, &info) != 0 { _ = rename(old, target) } else { OutputFolder.removeTree(old) }
            }
        }
        writeStandardError("hopfield: interrupted (signal \(sig))\(state.entries.isEmpty ? "" : "; the unfinished output folder was removed")\n")
        // Die of the signal: process-directed, so a thread that does not block it (the main thread) takes it
        // (dispatch's worker threads block signals, so `raise` here would only leave it pending).
        signal(sig, SIG_DFL)
        kill(getpid(), sig)
        usleep(200_000)
        _exit(128 + sig)
    }
}
