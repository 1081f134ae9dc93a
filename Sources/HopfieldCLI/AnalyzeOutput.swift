import Foundation
import Hopfield
import HopfieldIO
import HopfieldAnalysis

/// The files of `analyze --out DIR`.
enum AnalyzeOutput {
    /// Writes report.json and, for every state (in `state_<b>/` for a batch), the spectra as .npy, the
    /// flat basis, the trajectory of E, V_α and ‖r‖ as CSV, and the two SVG figures.
    static func write(network: Network, reports: [SteadyStateReport], batch: Bool, document: JSON, to dir: URL) throws {
        try write(document: document, states: reports.count, batch: batch, to: dir) { b, folder in
            try writeState(reports[b], to: folder)
        }
    }

    /// report.json, then each state's files: in `dir` for one state, in `state_000/`, … for a batch.
    private static func write(
        document: JSON, states: Int, batch: Bool, to dir: URL, _ body: (Int, URL) throws -> Void
    ) throws {
        try OutputFolder.text(document.serialized() + "\n", dir.appendingPathComponent("report.json"))
        for b in 0 ..< states {
            var folder = dir
            if batch {
                folder = dir.appendingPathComponent(String(format: "state_%03d", b))
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            }
            try body(b, folder)
        }
    }

    /// The files of a gradient-flow model's analysis: report.json and, for every state (in `state_<b>/`
    /// for a batch), `fixed_point.npy` (the state reached, flat) and `hessian_eigenvalues.npy` (∇²E on
    /// the free units, ascending).
    static func write(model: GradientModel, reports: [GradientSteadyStateReport], batch: Bool, document: JSON, to dir: URL) throws {
        try write(document: document, states: reports.count, batch: batch, to: dir) { b, folder in
            try NPY.write(NPYArray(reports[b].state), to: folder.appendingPathComponent("fixed_point.npy"))
            try NPY.write(NPYArray(reports[b].hessianEigenvalues), to: folder.appendingPathComponent("hessian_eigenvalues.npy"))
        }
    }

    private static func complexArray(_ values: [ComplexNumber]) -> NPYArray {
        NPYArray(shape: [values.count, 2], values: values.flatMap { [$0.re, $0.im] })
    }

    private static func writeState(_ report: SteadyStateReport, to dir: URL) throws {
        func npy(_ array: NPYArray, _ name: String) throws { try NPY.write(array, to: dir.appendingPathComponent(name)) }
        try npy(NPYArray(report.fixedPoint.state), "fixed_point.npy")
        if let l = report.linearization {
            try npy(complexArray(l.jacobianEigenvalues), "jacobian_eigenvalues.npy")
            try npy(NPYArray(l.lagrangianHessianEigenvalues), "lagrangian_hessian_eigenvalues.npy")
            try npy(NPYArray(l.energyHessianEigenvalues), "energy_hessian_eigenvalues.npy")
        }
        if let s = report.stability {
            try npy(complexArray(s.rangeEigenvalues), "range_eigenvalues.npy")
            try npy(NPYArray(s.kernelEigenvalues), "kernel_eigenvalues.npy")
            try npy(NPYArray(s.energyHessianRangeEigenvalues), "energy_hessian_range_eigenvalues.npy")
            try OutputFolder.text(AnalyzePlots.spectrum(s), dir.appendingPathComponent("jacobian_spectrum.svg"))
        }
        if let f = report.flatDirections {
            try npy(NPYArray(shape: [f.basis.rows, f.basis.columns], values: f.basis.elements), "flat_basis.npy")
        }
        if let trace = report.fixedPoint.trajectory {
            var csv = "t,energy,V_alpha,residual_norm,dEdt,dVdt\n"
            for s in trace.samples {
                csv += "\(s.t),\(s.energy),\(s.lyapunov),\(s.residualNorm),\(s.energyRate),\(s.lyapunovRate)\n"
            }
            try OutputFolder.text(csv, dir.appendingPathComponent("trajectory.csv"))
            try OutputFolder.text(AnalyzePlots.lyapunov(trace), dir.appendingPathComponent("lyapunov.svg"))
        }
    }
}
