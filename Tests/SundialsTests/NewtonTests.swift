import Foundation
import Sundials
import Testing

/// KINSOL Newton on systems with known roots, one without a root, and failing callbacks.
@Suite struct NewtonTests {
    /// F_i(x) = x_i² − 2: roots ±√2, chosen by the sign of the start. Difference-quotient Jacobian.
    @Test(arguments: [true, false])
    func squareRootOfTwoComponentwise(lineSearch: Bool) throws {
        let problem = NonlinearProblem(initialGuess: [1, 2, 3, -1]) { x, f in
            for i in 0..<x.count { f[i] = x[i] * x[i] - 2 }
        }
        var options = NewtonOptions()
        options.lineSearch = lineSearch
        let solution = try solveNewton(problem, options: options)
        #expect(solution.status == .converged)
        #expect(solution.status.isConverged)
        #expect(solution.residualNorm <= 1e-10)
        let root = (2.0).squareRoot()
        let expected = [root, root, root, -root]
        for (a, b) in zip(solution.x, expected) { #expect(abs(a - b) <= 1e-10) }
        // The residual norm is recomputed independently here.
        let independent = solution.x.map { abs($0 * $0 - 2) }.max() ?? .infinity
        #expect(abs(independent - solution.residualNorm) <= 1e-15)
        #expect(solution.iterations >= 3)
        #expect(solution.residualEvaluations > solution.iterations)
    }

    /// F = (x² + y² − 4, eˣ + y − 1), analytic Jacobian [[2x, 2y], [eˣ, 1]] (column-major).
    static func circleAndExponential(analytic: Bool, counter: JacobianCounter? = nil) -> NonlinearProblem {
        NonlinearProblem(
            initialGuess: [-2, 1],
            residual: { v, f in
                f[0] = v[0] * v[0] + v[1] * v[1] - 4
                f[1] = exp(v[0]) + v[1] - 1
            },
            jacobian: analytic
                ? { v, jac in
                    counter?.calls += 1
                    jac[0] = 2 * v[0]; jac[2] = 2 * v[1]
                    jac[1] = exp(v[0]); jac[3] = 1
                } : nil)
    }

    final class JacobianCounter { var calls = 0 }

    @Test func smallSystemWithAnalyticJacobian() throws {
        let counter = JacobianCounter()
        let solution = try solveNewton(Self.circleAndExponential(analytic: true, counter: counter))
        #expect(solution.status.isConverged)
        #expect(solution.residualNorm <= 1e-10)
        let x = solution.x[0], y = solution.x[1]
        #expect(abs(x * x + y * y - 4) <= 1e-10)
        #expect(abs(exp(x) + y - 1) <= 1e-10)
        #expect(abs(x - -1.8162640688251506) <= 1e-9)
        #expect(counter.calls > 0)

        let dq = try solveNewton(Self.circleAndExponential(analytic: false))
        #expect(dq.status.isConverged)
        for (a, b) in zip(solution.x, dq.x) { #expect(abs(a - b) <= 1e-9) }
    }

    /// x² + 1 = 0 has no real root: a non-converged status, ‖F‖ ≥ 1, no crash.
    @Test(arguments: [true, false], [0.5, 1.0, 3.0])
    func noRealRoot(lineSearch: Bool, start: Double) throws {
        let problem = NonlinearProblem(
            initialGuess: [start], residual: { x, f in f[0] = x[0] * x[0] + 1 },
            jacobian: { x, jac in jac[0] = 2 * x[0] })
        var options = NewtonOptions()
        options.lineSearch = lineSearch
        let solution = try solveNewton(problem, options: options)
        #expect(!solution.status.isConverged, "status \(solution.status)")
        #expect(solution.residualNorm >= 1 || solution.residualNorm.isNaN)
    }

    @Test func initialGuessAlreadyARoot() throws {
        let problem = NonlinearProblem(initialGuess: [1]) { x, f in f[0] = x[0] - 1 }
        let solution = try solveNewton(problem)
        #expect(solution.status == .initialGuessOK)
        #expect(solution.status.isConverged)
        #expect(solution.x == [1])
        #expect(solution.residualNorm == 0)
    }

    @Test func iterationLimit() throws {
        let problem = NonlinearProblem(initialGuess: [1000]) { x, f in f[0] = x[0] * x[0] - 2 }
        var options = NewtonOptions()
        options.maxIterations = 2
        let solution = try solveNewton(problem, options: options)
        #expect(solution.status == .maxIterationsReached)
        #expect(solution.status.description == "max_iterations_reached")
        #expect(solution.residualNorm > 1e-10)
    }

    @Test func throwingResidualGivesCallbackError() throws {
        let problem = NonlinearProblem(initialGuess: [3]) { x, f in
            if x[0] < 2 { throw InjectedFailure(description: "residual refused x < 2") }
            f[0] = x[0] * x[0] - 2
        }
        let solution = try solveNewton(problem)
        #expect(solution.status == .callbackError("residual refused x < 2"))
        #expect(!solution.status.isConverged)
        #expect(solution.status.description == "callback_error: residual refused x < 2")
    }

    @Test func throwingJacobianGivesCallbackError() throws {
        let problem = NonlinearProblem(
            initialGuess: [3], residual: { x, f in f[0] = x[0] * x[0] - 2 },
            jacobian: { _, _ in throw InjectedFailure(description: "no jacobian") })
        let solution = try solveNewton(problem)
        #expect(solution.status == .callbackError("no jacobian"))
    }

    @Test func invalidInputThrows() {
        let residual: NonlinearResidualFunction = { x, f in f[0] = x[0] }
        expectInvalidInput { _ = try solveNewton(NonlinearProblem(initialGuess: [], residual: residual)) }
        expectInvalidInput { _ = try solveNewton(NonlinearProblem(initialGuess: [.nan], residual: residual)) }
        expectInvalidInput {
            _ = try solveNewton(
                NonlinearProblem(initialGuess: [1], residual: residual), options: NewtonOptions(functionTolerance: -1))
        }
        expectInvalidInput {
            _ = try solveNewton(
                NonlinearProblem(initialGuess: [1], residual: residual), options: NewtonOptions(maxIterations: 0))
        }
    }
}
