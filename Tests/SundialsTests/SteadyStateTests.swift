import Foundation
import Sundials
import Testing

/// y' = −(y − 1): every component relaxes to 1, so `stopAtSteadyState` must stop long before `endTime`.
@Suite struct SteadyStateTests {
    static let initial = [0.0, 3.0, -2.0]

    static func problem(endTime: Double) -> ODEProblem {
        ODEProblem(
            initialState: initial, endTime: endTime,
            vectorField: { _, y, ydot in for i in 0..<y.count { ydot[i] = -(y[i] - 1) } },
            jacobian: { _, y, jac in for i in 0..<y.count { jac[i + i * y.count] = -1 } })
    }

    @Test(arguments: IntegrationMethod.allCases)
    func stopsAtSteadyState(method: IntegrationMethod) throws {
        let rtol = 1e-6, atol = 1e-8
        let options = SolverOptions(
            method: method, relativeTolerance: rtol, absoluteTolerance: .scalar(atol), stopAtSteadyState: true)
        let solution = try integrate(Self.problem(endTime: 1000), options: options)
        #expect(solution.status == .steadyState)
        #expect(solution.status.isSuccess)
        #expect(solution.status.description == "steady_state")
        #expect(solution.finalTime < 100)
        // The stopping rule, recomputed independently: ‖f(t, y)‖_WRMS ≤ 1 with f = 1 − y.
        let y = solution.finalState
        let norm = (y.map { pow((1 - $0) / (atol + rtol * abs($0)), 2) }.reduce(0, +) / Double(y.count)).squareRoot()
        #expect(norm <= 1)
        for value in y { #expect(abs(value - 1) <= 2e-6) }
        // Saves beyond the stop are not reached: only the start is saved.
        #expect(solution.times == [0])
    }

    /// Without the flag the same problem runs to `endTime`.
    @Test func runsToEndWithoutTheFlag() throws {
        let solution = try integrate(Self.problem(endTime: 1000), options: SolverOptions())
        #expect(solution.status == .success)
        #expect(solution.finalTime == 1000)
        #expect(solution.times == [0, 1000])
    }
}
