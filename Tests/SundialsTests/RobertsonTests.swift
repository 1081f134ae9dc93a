import Sundials
import Testing

/// Robertson's stiff chemical kinetics (SUNDIALS' cvRoberts_dns), BDF with the dense analytic Jacobian:
///
/// ```
/// y1' = −0.04 y1 + 1e4 y2 y3
/// y3' = 3e7 y2²
/// y2' = −y1' − y3'          (so y1 + y2 + y3 = 1)
/// y(0) = (1, 0, 0)
/// ```
@Suite struct RobertsonTests {
    /// At t = 0.4: Radau IIA, rtol 1e-13, as published in several independent test suites
    /// (e.g. SciPy 1.17 Radau fixtures; the X-TFC paper's table agrees to 11 digits).
    static let referenceAt0p4 = [9.85172113860989129e-01, 3.38639537897490351e-05, 1.47940221852203447e-02]
    /// At t = 4e10: the reference in SUNDIALS' examples/cvode/serial/cvRoberts_dns.c `check_ans`
    /// (computed with rtol 1e-8, atol 1e-14).
    static let referenceAt4e10 = [5.2083495894337328e-08, 2.0833399429795671e-13, 9.9999994791629776e-01]
    /// At t = 1e11: the reference of the Bari/Hairer IVP test set (problem ROBER).
    static let referenceAt1e11 = [0.2083340149701255e-07, 0.8333360770334713e-13, 0.9999999791665050]

    static let relativeTolerance = 1e-8
    static let absoluteTolerances = [1e-10, 1e-14, 1e-8]

    static func problem(endTime: Double) -> ODEProblem {
        ODEProblem(
            initialState: [1, 0, 0], endTime: endTime,
            vectorField: { _, y, ydot in
                ydot[0] = -0.04 * y[0] + 1e4 * y[1] * y[2]
                ydot[2] = 3e7 * y[1] * y[1]
                ydot[1] = -ydot[0] - ydot[2]
            },
            jacobian: { _, y, jac in
                // column-major: jac[i + 3j] = ∂f_i/∂y_j
                jac[0 + 3 * 0] = -0.04
                jac[0 + 3 * 1] = 1e4 * y[2]
                jac[0 + 3 * 2] = 1e4 * y[1]
                jac[1 + 3 * 0] = 0.04
                jac[1 + 3 * 1] = -1e4 * y[2] - 6e7 * y[1]
                jac[1 + 3 * 2] = -1e4 * y[1]
                jac[2 + 3 * 0] = 0
                jac[2 + 3 * 1] = 6e7 * y[1]
                jac[2 + 3 * 2] = 0
            })
    }

    /// Weighted error `max_i |y_i − ref_i| / (rtol·|ref_i| + atol_i)`, the per-component form of the
    /// WRMS test in cvRoberts_dns's `check_ans`.
    static func weightedError(_ y: [Double], _ ref: [Double], rtol: Double, atol: [Double]) -> Double {
        (0..<3).map { abs(y[$0] - ref[$0]) / (rtol * abs(ref[$0]) + atol[$0]) }.max() ?? .infinity
    }

    @Test func matchesPublishedReferenceValues() throws {
        let options = SolverOptions(
            relativeTolerance: Self.relativeTolerance, absoluteTolerance: .perComponent(Self.absoluteTolerances),
            linearSolver: .dense, saveTimes: [0.4, 4e10])
        let solution = try integrate(Self.problem(endTime: 4e10), options: options)
        #expect(solution.status == .success)
        #expect(solution.times == [0.4, 4e10])
        let early = Array(solution.state(at: 0))
        let late = Array(solution.state(at: 1))

        // t = 0.4: every component within relative 1e-6 of the reference.
        for i in 0..<3 {
            #expect(relativeError(early[i], Self.referenceAt0p4[i]) <= 1e-6, "y\(i + 1)(0.4) = \(early[i])")
        }
        // t = 4e10: within 10× the integration tolerances (rtol 1e-8, atol as set), as check_ans does;
        // y1 ≈ 5.2083e-8 to within 1% (atol₁ = 1e-10 is already 0.2% of y1 there).
        let error = Self.weightedError(
            late, Self.referenceAt4e10, rtol: Self.relativeTolerance, atol: Self.absoluteTolerances.map { 10 * $0 })
        #expect(error <= 1, "weighted error \(error) at 4e10: \(late)")
        #expect(relativeError(late[0], Self.referenceAt4e10[0]) <= 1e-2)
        // Mass conservation, which the discrete scheme preserves for linear invariants.
        #expect(abs(late.reduce(0, +) - 1) <= 1e-12)
    }

    @Test func matchesTestSetReferenceAt1e11() throws {
        let options = SolverOptions(
            relativeTolerance: Self.relativeTolerance, absoluteTolerance: .perComponent([1e-12, 1e-16, 1e-10]),
            linearSolver: .dense)
        let solution = try integrate(Self.problem(endTime: 1e11), options: options)
        #expect(solution.status == .success)
        for i in 0..<3 {
            #expect(relativeError(solution.finalState[i], Self.referenceAt1e11[i]) <= 1e-4,
                    "y\(i + 1)(1e11) = \(solution.finalState[i])")
        }
    }
}
