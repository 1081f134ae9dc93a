import Distributed
import Hopfield
import HopfieldAnalysis
import TestSupport
import Testing

/// The exact byte form of ``SteadyStateReport`` that `analyze` under `mpirun` gathers (docs/distributed.md).
@Suite("SteadyStateReport transfer")
struct ReportTransferTests {
    static func bytes(_ report: SteadyStateReport) -> [UInt8] {
        var w = TransferWriter()
        w.write(report)
        return w.bytes
    }

    /// Decodes `report`'s bytes and checks that nothing is left over and that the decoded report encodes to
    /// the same bytes (a field read into the wrong member would be written back in another place).
    static func roundTrip(_ report: SteadyStateReport) throws -> SteadyStateReport {
        let encoded = bytes(report)
        var reader = TransferReader(encoded)
        let decoded = try reader.readSteadyStateReport()
        #expect(reader.isAtEnd)
        #expect(bytes(decoded) == encoded)
        return decoded
    }

    @Test("relu network (dead units, flat region, basin samples, Lyapunov trace): every part comes back bit for bit")
    func reluNetwork() throws {
        let network = try exampleReluNetwork()
        var options = SteadyStateOptions()
        options.basin.samples = 3
        let report = try analyzeSteadyState(network, from: [Double](repeating: 0.3, count: network.dimension), options: options)
        let basin = try #require(report.basin)
        let decoded = try Self.roundTrip(report)
        #expect(decoded.fixedPoint.state == report.fixedPoint.state)
        #expect(decoded.fixedPoint.status == report.fixedPoint.status)
        #expect(decoded.fixedPoint.integrationStatus == report.fixedPoint.integrationStatus)
        #expect(decoded.fixedPoint.newtonStatus == report.fixedPoint.newtonStatus)
        #expect(decoded.fixedPoint.trajectory?.samples == report.fixedPoint.trajectory?.samples)
        #expect(decoded.linearization?.jacobian == report.linearization?.jacobian)
        #expect(decoded.linearization?.jacobianEigenvalues == report.linearization?.jacobianEigenvalues)
        #expect(decoded.flatDirections?.deadUnits == report.flatDirections?.deadUnits)
        #expect(decoded.flatDirections?.basis == report.flatDirections?.basis)
        #expect(decoded.recovery?.deadInputs == report.recovery?.deadInputs)
        #expect(decoded.stability?.predictedSpectrum == report.stability?.predictedSpectrum)
        #expect(decoded.stability?.stability == report.stability?.stability)
        #expect(decoded.basin?.sampledStates == basin.sampledStates)
        #expect(decoded.basin?.layerRates == basin.layerRates)
        #expect(decoded.lagrangianClaimsNotApplicable == nil)
    }

    @Test("Euclidean similarity network: the reason the claims do not apply and the energy-Hessian verdict come back")
    func similarityNetwork() throws {
        let network = try SimilarityAnalysisTests.euclidean()
        let report = try analyzeSteadyState(network, from: [0.2, -0.1, 0, 0, 0])
        let decoded = try Self.roundTrip(report)
        #expect(report.lagrangianClaimsNotApplicable != nil)
        #expect(decoded.lagrangianClaimsNotApplicable == report.lagrangianClaimsNotApplicable)
        #expect(decoded.jacobianStability?.energyHessianRangeEigenvalues == report.jacobianStability?.energyHessianRangeEigenvalues)
        #expect(decoded.jacobianStability?.stability == report.jacobianStability?.stability)
        #expect(decoded.flatDirections == nil && decoded.basin == nil)
    }

    @Test("a search that did not converge: only the fixed point, with its status")
    func notConverged() throws {
        let network = try exampleReluNetwork()
        var options = SteadyStateOptions()
        options.fixedPoint.integrate = false
        options.fixedPoint.residualTolerance = 1e-300
        let report = try analyzeSteadyState(network, from: [Double](repeating: 5, count: network.dimension), options: options)
        let decoded = try Self.roundTrip(report)
        #expect(decoded.fixedPoint.status == report.fixedPoint.status)
        #expect(!report.isConverged && !decoded.isConverged)
        #expect(report.linearization == nil && decoded.linearization == nil)
        #expect(decoded.fixedPoint.newtonStatus == report.fixedPoint.newtonStatus)
    }

    @Test("truncated bytes are an error, not a crash")
    func truncated() throws {
        let report = try analyzeSteadyState(try exampleReluNetwork(), from: [Double](repeating: 0.3, count: 10))
        let encoded = Self.bytes(report)
        for cut in [0, 8, encoded.count / 2, encoded.count - 1] {
            var reader = TransferReader(Array(encoded.prefix(cut)))
            #expect(throws: TransferError.self) { _ = try reader.readSteadyStateReport() }
        }
    }
}
