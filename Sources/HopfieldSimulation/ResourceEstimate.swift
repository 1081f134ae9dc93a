import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a run needs in memory, estimated from its sizes before anything large is allocated, so that a run
/// the machine cannot hold is refused with one line naming the way out instead of dying in an allocation.
///
/// The estimate counts 8-byte numbers and saturates at `Int.max` (sizes such as
/// `--saves 9223372036854775807` overflow nothing):
///
///     network     16 n                       (biases, shifts, evaluator workspaces; the weights are loaded)
///     integrator  (30 + K) n · P             (CVODE's vectors, K = 10 Krylov vectors with GMRES; P runs at once)
///     dense       3 n² · P                   (the Jacobian, CVODE's saved copy, the LU factors)
///     saves       2 · saves · B · n          (the trajectory and its copy for the output files)
///     batch       4 · B · n                  (initial and final states, lockstep workspaces)
///     analysis    12 n² · P                  (Jacobian, Hessians, eigenvectors, SVD factors of `analyze`)
public struct ResourceEstimate: Sendable, Equatable, CustomStringConvertible {
    /// One part of the estimate.
    public struct Part: Sendable, Equatable {
        /// What needs the memory ("dense Jacobian", "saved trajectory", …).
        public var name: String
        /// Bytes (saturating).
        public var bytes: Int
        /// How to need less of it ("use --linear-solver gmres", …).
        public var wayOut: String
    }

    /// The parts, in the order they were added.
    public var parts: [Part] = []

    /// The total in bytes (saturating at `Int.max`).
    public var bytes: Int { parts.reduce(0) { Self.add($0, $1.bytes) } }

    public var description: String {
        parts.map { "\($0.name) \(Self.format(bytes: $0.bytes))" }.joined(separator: ", ")
    }

    public init() {}

    /// Adds `count` 8-byte numbers (the factors are multiplied with saturation).
    public mutating func add(_ name: String, doubles factors: [Int], wayOut: String = "") {
        var count = 8
        for f in factors { count = Self.multiply(count, max(0, f)) }
        parts.append(Part(name: name, bytes: count, wayOut: wayOut))
    }

    /// The estimate of a network of `dimension` units (its arrays and an evaluator's workspaces).
    ///
    ///     bytes = 8 · 16 n
    public static func network(dimension n: Int) -> ResourceEstimate {
        var e = ResourceEstimate()
        e.add("network of \(n) units", doubles: [16, n], wayOut: "a smaller network")
        return e
    }

    /// The estimate of `simulate`: the network, the integrators running at once, a dense Jacobian when
    /// `dense`, the saved trajectories and the batch.
    ///
    /// - Parameters:
    ///   - n: the dimension, the number of units.
    ///   - batch: `B`, the number of trajectories.
    ///   - saves: the number of saved states per trajectory.
    ///   - dense: whether the linear solver is dense (an `n × n` Jacobian per running integrator).
    ///   - concurrent: how many trajectories are integrated at the same time.
    public static func simulation(dimension n: Int, batch: Int, saves: Int, dense: Bool, concurrent: Int) -> ResourceEstimate {
        var e = network(dimension: n)
        let p = max(1, min(batch, concurrent))
        e.add("integrator vectors", doubles: [40, n, p], wayOut: "a smaller batch")
        if dense {
            e.add("dense Jacobian (\(n)×\(n), \(3 * p) copies)", doubles: [3, p, n, n], wayOut: "--linear-solver gmres")
        }
        e.add("saved trajectory (\(saves) saves × \(batch) × \(n))", doubles: [2, saves, batch, n], wayOut: "fewer --saves")
        e.add("batch of \(batch) states", doubles: [4, batch, n], wayOut: "a smaller batch")
        return e
    }

    /// The estimate of `analyze`: the network, a CVODE run (dense or GMRES), the dense `n × n` matrices of
    /// the Newton polish and the spectra, for `concurrent` states at once.
    public static func steadyStateAnalysis(dimension n: Int, states: Int, concurrent: Int = 1) -> ResourceEstimate {
        var e = network(dimension: n)
        let p = max(1, min(states, concurrent))
        e.add("integrator vectors", doubles: [40, n, p], wayOut: "fewer states")
        e.add("dense spectra and Newton (\(n)×\(n) matrices)", doubles: [15, p, n, n],
              wayOut: "a smaller network (analyze computes dense spectra; use simulate --until-steady for large ones)")
        e.add("batch of \(states) states", doubles: [4, states, n], wayOut: "fewer states")
        return e
    }

    /// Throws when the estimate exceeds `budget`.
    ///
    /// - Throws: ``ResourceError`` naming the largest part and its way out.
    public func check(against budget: MemoryBudget = .current()) throws(ResourceError) {
        let total = bytes
        guard total > budget.available else { return }
        let largest = parts.max { $0.bytes < $1.bytes } ?? Part(name: "the run", bytes: total, wayOut: "")
        throw ResourceError(needed: total, available: budget.available, largest: largest, limitName: budget.limitName)
    }

    // MARK: Saturating arithmetic and formatting

    /// `a · b`, or `Int.max` on overflow.
    public static func saturatingProduct(_ a: Int, _ b: Int) -> Int { multiply(a, b) }
    /// `a + b`, or `Int.max` on overflow.
    public static func saturatingSum(_ a: Int, _ b: Int) -> Int { add(a, b) }

    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? Int.max : r
    }

    static func add(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? Int.max : r
    }

    /// "12.3 GB", "800 MB", "more than 9.2 EB" (decimal units).
    public static func format(bytes: Int) -> String {
        if bytes == Int.max { return "more than 9.2 EB" }
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var x = Double(bytes), u = 0
        while x >= 1000, u < units.count - 1 { x /= 1000; u += 1 }
        return u == 0 ? "\(bytes) B" : String(format: x < 10 ? "%.1f %@" : "%.0f %@", x, units[u])
    }
}

/// The memory a run may use: the machine's physical memory (`sysconf(_SC_PHYS_PAGES)`), or less when
/// the process's address space is limited (`ulimit -v`, `RLIMIT_AS`, minus what the process already maps).
public struct MemoryBudget: Sendable, Equatable {
    /// Bytes available to the run.
    public var available: Int
    /// What limits it: "physical memory" or "the address-space limit (ulimit -v)".
    public var limitName: String

    public init(available: Int, limitName: String) {
        self.available = available
        self.limitName = limitName
    }

    /// The budget of this process now.
    public static func current() -> MemoryBudget {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        let physical = pages > 0 && pageSize > 0 ? ResourceEstimate.multiply(pages, pageSize) : Int.max
        var budget = MemoryBudget(available: physical, limitName: "physical memory")
        #if os(Linux)
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
           limit.rlim_cur < UInt(Int.max) {
            let mapped = mappedBytes()
            let left = max(0, Int(limit.rlim_cur) - mapped)
            if left < budget.available { budget = MemoryBudget(available: left, limitName: "the address-space limit (ulimit -v)") }
        }
        #endif
        return budget
    }

    /// The process's mapped address space (`VmSize`, first field of /proc/self/statm, in pages).
    static func mappedBytes() -> Int {
        #if os(Linux)
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size: Int = 0
        guard withUnsafeMutablePointer(to: &size, { p in vfscanf_statm(file, p) }) else { return 0 }
        return ResourceEstimate.multiply(size, sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 0
        #endif
    }

    #if os(Linux)
    /// Reads the first decimal number of the file.
    private static func vfscanf_statm(_ file: UnsafeMutablePointer<FILE>, _ out: UnsafeMutablePointer<Int>) -> Bool {
        var value = 0, any = false
        while true {
            let c = getc(file)
            guard c >= 48, c <= 57 else { break }
            value = ResourceEstimate.add(ResourceEstimate.multiply(value, 10), Int(c - 48))
            any = true
        }
        out.pointee = value
        return any
    }
    #endif
}

/// A run that needs more memory than the machine (or the process's limit) allows.
public struct ResourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bytes the run needs (saturating).
    public var needed: Int
    /// Bytes available.
    public var available: Int
    /// The largest part of the estimate and its way out.
    public var largest: ResourceEstimate.Part
    /// What limits the budget.
    public var limitName: String

    /// "needs 9.6 GB (dense Jacobian (20000×20000, 6 copies) 9.6 GB) but 4.1 GB are available (the address-space limit (ulimit -v)); use --linear-solver gmres"
    public var description: String {
        let way = largest.wayOut.isEmpty ? "" : "; use \(largest.wayOut)"
        return "the run needs \(ResourceEstimate.format(bytes: needed)) of memory (\(largest.name): \(ResourceEstimate.format(bytes: largest.bytes))) but \(ResourceEstimate.format(bytes: available)) are available (\(limitName))\(way)"
    }
}

/// The linear solver of a CVODE (BDF or Adams) run when none is named: dense (analytic Jacobian) up to
/// ``automaticDenseLimit`` units, where one LU of the `n × n` Jacobian costs less than GMRES's Krylov
/// iterations, GMRES (matrix-free) above it.
///
///     dense  when  n ≤ 200;  gmres  otherwise
///
/// Measured (docs/cli.md, "Resources"): dense pays only for small networks.
public func automaticLinearSolver(dimension n: Int) -> LinearSolverKind {
    n <= automaticDenseLimit ? .dense : .gmres()
}

/// The largest network (in units) for which ``automaticLinearSolver(dimension:)`` picks the dense solver.
public let automaticDenseLimit = 200
