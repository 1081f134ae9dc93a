import Distributed
import Hopfield
import HopfieldSimulation
import LinearAlgebra
import Sundials

// The exact byte form of a SteadyStateReport, for batches of states analysed on several processes (every
// rank encodes the reports of its block, rank 0 decodes them; numbers bit for bit, NaN and ±∞ included).
// Optional parts are preceded by a flag (0 absent, 1 present).

extension TransferWriter {
    fileprivate mutating func write(flag: Bool) { write(flag ? 1 : 0) }

    fileprivate mutating func write(_ values: [ComplexNumber]) {
        write(values.count)
        for z in values {
            write(z.re)
            write(z.im)
        }
    }

    fileprivate mutating func write(_ m: Matrix) {
        write(m.rows)
        write(m.columns)
        write(m.elements)
    }

    fileprivate mutating func write(_ lists: [[Double]]) {
        write(lists.count)
        for list in lists { write(list) }
    }

    fileprivate mutating func write(_ lists: [[Int]]) {
        write(lists.count)
        for list in lists {
            write(list.count)
            for i in list { write(i) }
        }
    }

    fileprivate mutating func write(_ stability: Stability) { write(stability.rawValue) }

    fileprivate mutating func write(_ status: NewtonStatus) {
        switch status {
        case .callbackError(let message):
            write(-1)
            write(message)
        case .other(let code):
            write(-2)
            write(Int(code))
        default:
            write(newtonStatuses.firstIndex(of: status)!)
        }
    }

    fileprivate mutating func write(_ status: FixedPointStatus) {
        switch status {
        case .converged: write(0)
        case .integrationFailed(let s):
            write(1)
            write(s)
        case .newtonFailed(let s):
            write(2)
            write(s)
        case .residualTooLarge: write(3)
        }
    }

    fileprivate mutating func write(_ trace: LyapunovTrace) {
        for v in [trace.alpha, trace.alphaMax, trace.hessianBound, trace.couplingNorm, trace.minimumTau] { write(v) }
        write(flag: trace.alphaIsGlobal)
        write(trace.samples.count)
        for s in trace.samples {
            for v in [s.t, s.energy, s.lyapunov, s.residualNorm, s.speed, s.weightedResidual, s.energyRate, s.lyapunovRate] {
                write(v)
            }
        }
    }

    fileprivate mutating func write(_ p: FixedPoint) {
        write(p.status)
        write(p.state)
        write(p.residual)
        write(p.energy)
        write(p.initialState)
        write(flag: p.integratedState != nil)
        if let x = p.integratedState { write(x) }
        write(flag: p.integrationStatus != nil)
        if let s = p.integrationStatus { write(s) }
        write(flag: p.integrationTime != nil)
        if let t = p.integrationTime { write(t) }
        write(flag: p.newtonStatus != nil)
        if let s = p.newtonStatus { write(s) }
        write(p.newtonIterations)
        write(flag: p.trajectory != nil)
        if let t = p.trajectory { write(t) }
    }

    /// Writes a steady-state report, every part of it.
    public mutating func write(_ report: SteadyStateReport) {
        write(report.fixedPoint)
        write(flag: report.linearization != nil)
        if let l = report.linearization {
            write(l.state)
            for m in [l.lagrangianHessian, l.coupling, l.jacobian, l.energyHessian] { write(m) }
            write(l.lagrangianHessianEigenvalues)
            write(l.energyHessianEigenvalues)
            write(l.jacobianEigenvalues)
        }
        write(flag: report.flatDirections != nil)
        if let f = report.flatDirections {
            write(f.deadUnits)
            write(f.collectiveDirections.count)
            for c in f.collectiveDirections {
                write(c.layer)
                write(c.lagrangian)
                write(c.direction)
            }
            write(f.numericalDirections)
            write(f.dimension)
            write(f.hessianRank)
            write(f.basis)
            write(f.tolerance)
        }
        write(flag: report.recovery != nil)
        if let r = report.recovery {
            write(r.recoveredState)
            write(r.error)
            write(r.polishedError)
            write(r.deadInputs)
        }
        write(flag: report.stability != nil)
        if let s = report.stability {
            write(s.rangeDimension)
            write(s.rangeEigenvalues)
            write(s.kernelEigenvalues)
            write(s.predictedSpectrum)
            write(s.jacobianEigenvalues)
            write(s.mismatch)
            write(s.maxRealEigenvalue)
            write(flag: s.rangeCouplingMaxEigenvalue != nil)
            if let v = s.rangeCouplingMaxEigenvalue { write(v) }
            write(s.energyHessianRangeEigenvalues)
            write(s.stability)
            write(s.energyHessianStability)
        }
        write(flag: report.basin != nil)
        if let b = report.basin {
            write(b.samples)
            write(b.converged)
            write(b.layerRates.count)
            for rate in b.layerRates {
                write(rate.layer)
                write(rate.fittedRate)
                write(rate.expectedRate)
                write(rate.maxRelativeError)
            }
            write(b.maxActivationChange)
            write(b.maxFinalDistance)
            write(b.sampledStates)
        }
        write(flag: report.jacobianStability != nil)
        if let j = report.jacobianStability {
            write(j.maxRealEigenvalue)
            write(j.stability)
            write(flag: j.energyHessianRangeEigenvalues != nil)
            if let e = j.energyHessianRangeEigenvalues { write(e) }
            write(flag: j.energyHessianStability != nil)
            if let s = j.energyHessianStability { write(s) }
            write(flag: j.energyHessianUndefined != nil)
            if let u = j.energyHessianUndefined { write(u) }
        }
        write(flag: report.lagrangianClaimsNotApplicable != nil)
        if let reason = report.lagrangianClaimsNotApplicable { write(reason) }
    }
}

/// The statuses of KINSOL without payload; the code of each is its index.
private let newtonStatuses: [NewtonStatus] = [
    .converged, .initialGuessOK, .stepTolerance, .lineSearchNonConvergence, .maxIterationsReached,
    .maxNewtonStepExceeded, .lineSearchBetaConditionFailure, .linearSolverFailure, .residualFailure,
]

extension TransferReader {
    fileprivate mutating func readFlag() throws(TransferError) -> Bool {
        switch try readInt() {
        case 0: return false
        case 1: return true
        default: throw .truncated
        }
    }

    fileprivate mutating func readLength() throws(TransferError) -> Int {
        let n = try readInt()
        guard n >= 0, n <= 1 << 40 else { throw .truncated }
        return n
    }

    fileprivate mutating func readComplex() throws(TransferError) -> [ComplexNumber] {
        let n = try readLength()
        var values: [ComplexNumber] = []
        for _ in 0 ..< n { values.append(ComplexNumber(re: try readDouble(), im: try readDouble())) }
        return values
    }

    fileprivate mutating func readMatrix() throws(TransferError) -> Matrix {
        let rows = try readInt(), columns = try readInt()
        guard let m = try? Matrix(rows: rows, columns: columns, elements: try readDoubles()) else { throw .truncated }
        return m
    }

    fileprivate mutating func readLists() throws(TransferError) -> [[Double]] {
        let n = try readLength()
        var lists: [[Double]] = []
        for _ in 0 ..< n { lists.append(try readDoubles()) }
        return lists
    }

    fileprivate mutating func readIndexLists() throws(TransferError) -> [[Int]] {
        let n = try readLength()
        var lists: [[Int]] = []
        for _ in 0 ..< n {
            let m = try readLength()
            var list: [Int] = []
            for _ in 0 ..< m { list.append(try readInt()) }
            lists.append(list)
        }
        return lists
    }

    fileprivate mutating func readStability() throws(TransferError) -> Stability {
        guard let s = Stability(rawValue: try readString()) else { throw .truncated }
        return s
    }

    fileprivate mutating func readNewtonStatus() throws(TransferError) -> NewtonStatus {
        let code = try readInt()
        switch code {
        case -1: return .callbackError(try readString())
        case -2: return .other(code: Int32(truncatingIfNeeded: try readInt()))
        case newtonStatuses.indices: return newtonStatuses[code]
        default: throw .truncated
        }
    }

    fileprivate mutating func readFixedPointStatus() throws(TransferError) -> FixedPointStatus {
        switch try readInt() {
        case 0: return .converged
        case 1: return .integrationFailed(try readStatus())
        case 2: return .newtonFailed(try readNewtonStatus())
        case 3: return .residualTooLarge
        default: throw .truncated
        }
    }

    fileprivate mutating func readTrace() throws(TransferError) -> LyapunovTrace {
        let alpha = try readDouble(), alphaMax = try readDouble(), hessianBound = try readDouble()
        let couplingNorm = try readDouble(), minimumTau = try readDouble()
        let global = try readFlag()
        let n = try readLength()
        var samples: [LyapunovSample] = []
        for _ in 0 ..< n {
            samples.append(LyapunovSample(
                t: try readDouble(), energy: try readDouble(), lyapunov: try readDouble(), residualNorm: try readDouble(),
                speed: try readDouble(), weightedResidual: try readDouble(), energyRate: try readDouble(),
                lyapunovRate: try readDouble()))
        }
        return LyapunovTrace(
            alpha: alpha, alphaMax: alphaMax, hessianBound: hessianBound, couplingNorm: couplingNorm, minimumTau: minimumTau,
            alphaIsGlobal: global, samples: samples)
    }

    fileprivate mutating func readFixedPoint() throws(TransferError) -> FixedPoint {
        let status = try readFixedPointStatus()
        let state = try readDoubles()
        let residual = try readDouble(), energy = try readDouble()
        let initial = try readDoubles()
        let integrated = try readFlag() ? try readDoubles() : nil
        let integrationStatus = try readFlag() ? try readStatus() : nil
        let integrationTime = try readFlag() ? try readDouble() : nil
        let newtonStatus = try readFlag() ? try readNewtonStatus() : nil
        let iterations = try readInt()
        let trajectory = try readFlag() ? try readTrace() : nil
        return FixedPoint(
            status: status, state: state, residual: residual, energy: energy, initialState: initial,
            integratedState: integrated, integrationStatus: integrationStatus, integrationTime: integrationTime,
            newtonStatus: newtonStatus, newtonIterations: iterations, trajectory: trajectory)
    }

    /// Reads what ``TransferWriter/write(_:)-(SteadyStateReport)`` wrote.
    public mutating func readSteadyStateReport() throws(TransferError) -> SteadyStateReport {
        var report = SteadyStateReport(fixedPoint: try readFixedPoint())
        if try readFlag() {
            report.linearization = Linearization(
                state: try readDoubles(), lagrangianHessian: try readMatrix(), coupling: try readMatrix(),
                jacobian: try readMatrix(), energyHessian: try readMatrix(), lagrangianHessianEigenvalues: try readDoubles(),
                energyHessianEigenvalues: try readDoubles(), jacobianEigenvalues: try readComplex())
        }
        if try readFlag() {
            let dead = try readIndexLists()
            let n = try readLength()
            var collective: [FlatDirections.CollectiveDirection] = []
            for _ in 0 ..< n {
                collective.append(FlatDirections.CollectiveDirection(
                    layer: try readInt(), lagrangian: try readString(), direction: try readDoubles()))
            }
            report.flatDirections = FlatDirections(
                deadUnits: dead, collectiveDirections: collective, numericalDirections: try readInt(),
                dimension: try readInt(), hessianRank: try readInt(), basis: try readMatrix(), tolerance: try readDouble())
        }
        if try readFlag() {
            report.recovery = FixedPointRecovery(
                recoveredState: try readDoubles(), error: try readDouble(), polishedError: try readDouble(),
                deadInputs: try readLists())
        }
        if try readFlag() {
            let rangeDimension = try readInt()
            let rangeEigenvalues = try readComplex(), kernel = try readDoubles()
            let predicted = try readComplex(), jacobian = try readComplex()
            let mismatch = try readDouble(), maxReal = try readDouble()
            let coupling = try readFlag() ? try readDouble() : nil
            report.stability = RangeStability(
                rangeDimension: rangeDimension, rangeEigenvalues: rangeEigenvalues, kernelEigenvalues: kernel,
                predictedSpectrum: predicted, jacobianEigenvalues: jacobian, mismatch: mismatch, maxRealEigenvalue: maxReal,
                rangeCouplingMaxEigenvalue: coupling, energyHessianRangeEigenvalues: try readDoubles(),
                stability: try readStability(), energyHessianStability: try readStability())
        }
        if try readFlag() {
            let samples = try readInt(), converged = try readInt()
            let n = try readLength()
            var rates: [BasinCheck.LayerRate] = []
            for _ in 0 ..< n {
                rates.append(BasinCheck.LayerRate(
                    layer: try readInt(), fittedRate: try readDouble(), expectedRate: try readDouble(),
                    maxRelativeError: try readDouble()))
            }
            report.basin = BasinCheck(
                samples: samples, converged: converged, layerRates: rates, maxActivationChange: try readDouble(),
                maxFinalDistance: try readDouble(), sampledStates: try readLists())
        }
        if try readFlag() {
            report.jacobianStability = JacobianStability(
                maxRealEigenvalue: try readDouble(), stability: try readStability(),
                energyHessianRangeEigenvalues: try readFlag() ? try readDoubles() : nil,
                energyHessianStability: try readFlag() ? try readStability() : nil,
                energyHessianUndefined: try readFlag() ? try readString() : nil)
        }
        if try readFlag() { report.lagrangianClaimsNotApplicable = try readString() }
        return report
    }
}

// Member-wise initialisers for the decoder (the public ones compute their values).

extension Linearization {
    init(
        state: [Double], lagrangianHessian: Matrix, coupling: Matrix, jacobian: Matrix, energyHessian: Matrix,
        lagrangianHessianEigenvalues: [Double], energyHessianEigenvalues: [Double], jacobianEigenvalues: [ComplexNumber]
    ) {
        self.state = state
        self.lagrangianHessian = lagrangianHessian
        self.coupling = coupling
        self.jacobian = jacobian
        self.energyHessian = energyHessian
        self.lagrangianHessianEigenvalues = lagrangianHessianEigenvalues
        self.energyHessianEigenvalues = energyHessianEigenvalues
        self.jacobianEigenvalues = jacobianEigenvalues
    }
}

extension FlatDirections {
    init(
        deadUnits: [[Int]], collectiveDirections: [CollectiveDirection], numericalDirections: Int, dimension: Int,
        hessianRank: Int, basis: Matrix, tolerance: Double
    ) {
        self.deadUnits = deadUnits
        self.collectiveDirections = collectiveDirections
        self.numericalDirections = numericalDirections
        self.dimension = dimension
        self.hessianRank = hessianRank
        self.basis = basis
        self.tolerance = tolerance
    }
}

extension FixedPointRecovery {
    init(recoveredState: [Double], error: Double, polishedError: Double, deadInputs: [[Double]]) {
        self.recoveredState = recoveredState
        self.error = error
        self.polishedError = polishedError
        self.deadInputs = deadInputs
    }
}

extension RangeStability {
    init(
        rangeDimension: Int, rangeEigenvalues: [ComplexNumber], kernelEigenvalues: [Double],
        predictedSpectrum: [ComplexNumber], jacobianEigenvalues: [ComplexNumber], mismatch: Double,
        maxRealEigenvalue: Double, rangeCouplingMaxEigenvalue: Double?, energyHessianRangeEigenvalues: [Double],
        stability: Stability, energyHessianStability: Stability
    ) {
        self.rangeDimension = rangeDimension
        self.rangeEigenvalues = rangeEigenvalues
        self.kernelEigenvalues = kernelEigenvalues
        self.predictedSpectrum = predictedSpectrum
        self.jacobianEigenvalues = jacobianEigenvalues
        self.mismatch = mismatch
        self.maxRealEigenvalue = maxRealEigenvalue
        self.rangeCouplingMaxEigenvalue = rangeCouplingMaxEigenvalue
        self.energyHessianRangeEigenvalues = energyHessianRangeEigenvalues
        self.stability = stability
        self.energyHessianStability = energyHessianStability
    }
}

extension JacobianStability {
    init(
        maxRealEigenvalue: Double, stability: Stability, energyHessianRangeEigenvalues: [Double]?,
        energyHessianStability: Stability?, energyHessianUndefined: String?
    ) {
        self.maxRealEigenvalue = maxRealEigenvalue
        self.stability = stability
        self.energyHessianRangeEigenvalues = energyHessianRangeEigenvalues
        self.energyHessianStability = energyHessianStability
        self.energyHessianUndefined = energyHessianUndefined
    }
}
