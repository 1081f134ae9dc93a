import Foundation
@testable import Sundials
import Testing

/// The LAPACK dense linear solver (a custom `SUNLinearSolver`) against closed forms, SUNDIALS' own
/// dense LU and GMRES.
@Suite struct LAPACKDenseSolverTests {
    /// Through SUNDIALS' generic dispatch: type and id, setup + solve agree with a hand-solved system.
    @Test func solvesThroughTheGenericInterface() throws {
        // A = [[4, 1, 0], [2, 5, 1], [0, 3, 6]] column-major; b = A [1, −2, 3] = [2, −5, 12].
        let a: [Double] = [4, 2, 0, 1, 5, 3, 0, 1, 6]
        let run = try #require(exerciseLAPACKDenseSolver(columnMajor: a, rightHandSide: [2, -5, 12]))
        #expect(run.reportsDirectCustom)
        #expect(run.initializeFlag == 0 && run.setupFlag == 0 && run.solveFlag == 0 && run.lastFlag == 0)
        #expect(run.solution.count == 3)
        for (x, exact) in zip(run.solution, [1.0, -2, 3]) { #expect(abs(x - exact) < 1e-14) }
    }

    /// A zero pivot: setup returns `SUNLS_LUFACT_FAIL` (808, recoverable) and `lastflag` the 1-based pivot.
    @Test func singularMatrixFailsSetupWithThePivot() throws {
        // Column-major [[1, 2, 3], [2, 4, 6], [1, 0, 1]]: row 2 = 2 × row 1.
        let a: [Double] = [1, 2, 1, 2, 4, 0, 3, 6, 1]
        let run = try #require(exerciseLAPACKDenseSolver(columnMajor: a, rightHandSide: [1, 1, 1]))
        #expect(run.setupFlag == 808)
        #expect(run.solveFlag == nil)
        #expect(run.lastFlag == 3)
        // A NaN entry is a recoverable package failure (806), not a crash.
        let nan = try #require(exerciseLAPACKDenseSolver(columnMajor: [1, .nan, 0, 1], rightHandSide: [1, 1]))
        #expect(nan.setupFlag == 806 && nan.lastFlag == 806)
    }

    /// `y' = A y` with `A = Q D Q`, `Q = I − 2 v vᵀ / vᵀv` (symmetric orthogonal), eigenvalues `D` from
    /// −1 to −10⁴ (stiff): `y(t) = Q exp(D t) Q y₀`.
    struct StiffLinear {
        let n: Int
        let a: [Double]  // column-major
        let q: [Double]
        let d: [Double]
        let y0: [Double]

        init(n: Int) {
            self.n = n
            let v = (0 ..< n).map { Double($0 % 7) - 2.5 }
            let vv = v.reduce(0) { $0 + $1 * $1 }
            var q = [Double](repeating: 0, count: n * n)
            for i in 0 ..< n { for j in 0 ..< n { q[i + j * n] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv } }
            let d = (0 ..< n).map { -pow(10, 4 * Double($0) / Double(n - 1)) }
            var a = [Double](repeating: 0, count: n * n)
            for i in 0 ..< n {
                for j in 0 ..< n {
                    var s = 0.0
                    for k in 0 ..< n { s += q[i + k * n] * d[k] * q[k + j * n] }
                    a[i + j * n] = s
                }
            }
            self.a = a
            self.q = q
            self.d = d
            y0 = (0 ..< n).map { 1 + 0.1 * Double($0) }
        }

        func exact(_ t: Double) -> [Double] {
            var z = [Double](repeating: 0, count: n)
            for k in 0 ..< n {
                var s = 0.0
                for j in 0 ..< n { s += q[k + j * n] * y0[j] }
                z[k] = exp(d[k] * t) * s
            }
            return (0 ..< n).map { i in (0 ..< n).reduce(0) { $0 + q[i + $1 * n] * z[$1] } }
        }

        var problem: ODEProblem {
            let (n, a) = (n, a)
            return ODEProblem(
                initialState: y0, endTime: 2,
                vectorField: { _, y, ydot in
                    for i in 0 ..< n {
                        var s = 0.0
                        for j in 0 ..< n { s += a[i + j * n] * y[j] }
                        ydot[i] = s
                    }
                },
                jacobian: { _, _, jac in for k in 0 ..< n * n { jac[k] = a[k] } },
                jacobianVectorProduct: { _, _, v, jv in
                    for i in 0 ..< n {
                        var s = 0.0
                        for j in 0 ..< n { s += a[i + j * n] * v[j] }
                        jv[i] = s
                    }
                })
        }
    }

    @Test func stiffSystemAgreesWithSundialsDenseAndGMRES() throws {
        let system = StiffLinear(n: 40)
        let saves = [0, 0.001, 0.01, 0.1, 1, 2]
        func run(_ solver: LinearSolverKind, _ factorization: DenseFactorization) throws -> ODESolution {
            var options = SolverOptions(
                relativeTolerance: 1e-8, absoluteTolerance: .scalar(1e-10), linearSolver: solver, saveTimes: saves)
            options.denseFactorization = factorization
            return try integrate(system.problem, options: options)
        }
        let lapack = try run(.dense, .lapack)
        let lapackDQ = try run(.denseDifferenceQuotient, .lapack)
        let sundials = try run(.dense, .sundials)
        let gmres = try run(.gmres(maxKrylov: 40), .lapack)
        for solution in [lapack, lapackDQ, sundials, gmres] {
            #expect(solution.status == .success)
            #expect(solution.times == saves)
            for (k, t) in saves.enumerated() {
                let exact = system.exact(t)
                let error = zip(solution.state(at: k), exact).map { abs($0 - $1) }.max() ?? .infinity
                #expect(error < 1e-5, "t = \(t): max error \(error)")
            }
        }
        // Same method, same matrices: the two dense LUs differ in rounding only.
        let difference = zip(lapack.finalState, sundials.finalState).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference < 1e-8)
        let s = lapack.statistics, r = sundials.statistics
        #expect(abs(s.steps - r.steps) <= max(3, r.steps / 20))
        #expect(abs(s.linearSolverSetups - r.linearSolverSetups) <= max(3, r.linearSolverSetups / 20))
        // Sane counters for a direct solver on a linear problem: Newton converges in one or two
        // iterations per step, the Jacobian is re-evaluated only now and then, no linear iterations.
        #expect(s.steps > 20)
        #expect(s.jacobianEvaluations >= 1 && s.jacobianEvaluations <= s.linearSolverSetups)
        #expect(s.linearSolverSetups < s.steps)
        #expect(s.nonlinearIterations >= s.steps && s.nonlinearIterations <= 3 * s.steps)
        #expect(s.nonlinearConvergenceFailures <= s.steps / 10)
        #expect(s.linearIterations == 0)  // a direct solver reports no iterations
        #expect(s.jvpEvaluations == 0)
        #expect(lapackDQ.statistics.jacobianEvaluations >= 1)
    }

    /// Robertson's kinetics: the LAPACK and SUNDIALS dense LUs take (nearly) the same steps.
    @Test func robertsonMatchesSundialsDense() throws {
        let problem = RobertsonTests.problem(endTime: 4e5)
        var options = SolverOptions(relativeTolerance: 1e-6, absoluteTolerance: .perComponent([1e-8, 1e-14, 1e-6]))
        let lapack = try integrate(problem, options: options)
        options.denseFactorization = .sundials
        let sundials = try integrate(problem, options: options)
        #expect(lapack.status == .success && sundials.status == .success)
        // Rounding differences in the LU change the steps slightly: the two runs agree to the global
        // error of rtol = 1e-6 (about 10 rtol here), far tighter than a wrong factorisation would.
        for (i, (a, b)) in zip(lapack.finalState, sundials.finalState).enumerated() {
            #expect(abs(a - b) <= 1e-4 * abs(b) + [1e-8, 1e-14, 1e-6][i])
        }
        // CVODE's cvRoberts_dns reference at t = 4e5: y = (4.9394e-3, 1.9854e-8, 9.9506e-1).
        for (a, reference) in zip(lapack.finalState, [4.9394e-3, 1.9854e-8, 9.9506e-1]) {
            #expect(abs(a - reference) <= 1e-3 * reference)
        }
        // Mass conservation y₀ + y₁ + y₂ = 1.
        #expect(abs(lapack.finalState.reduce(0, +) - 1) < 1e-6)
        #expect(abs(lapack.statistics.steps - sundials.statistics.steps) <= max(5, sundials.statistics.steps / 10))
    }

    /// KINSOL on `F(x, y) = (x + y − 1, 2x + 2y − 3)`: no root, singular Jacobian at every iterate.
    @Test(arguments: [true, false])
    func singularNewtonJacobianIsAStatus(analytic: Bool) throws {
        let problem = NonlinearProblem(
            initialGuess: [0.3, -0.2],
            residual: { v, f in
                f[0] = v[0] + v[1] - 1
                f[1] = 2 * v[0] + 2 * v[1] - 3
            },
            jacobian: analytic ? { _, j in j[0] = 1; j[1] = 2; j[2] = 1; j[3] = 2 } : nil)
        let solution = try solveNewton(problem)
        #expect(!solution.status.isConverged)
        #expect(solution.status == .linearSolverFailure)
        #expect(solution.status.description == "linear_solver_failure")
        #expect(solution.x.count == 2 && solution.x.allSatisfy { $0.isFinite })
    }

    /// An infinite Jacobian entry makes every LU setup fail (recoverably): CVODE gives up with a failure
    /// status, no crash, and the last good state stays finite.
    @Test func infiniteJacobianGivesAFailureStatus() throws {
        let problem = ODEProblem(
            initialState: [1, 2], endTime: 1,
            vectorField: { _, y, d in
                d[0] = -y[0]
                d[1] = -2 * y[1]
            },
            jacobian: { _, _, j in
                j[0] = -1; j[3] = .infinity
            })
        let solution = try integrate(problem, options: SolverOptions(linearSolver: .dense))
        #expect(!solution.status.isSuccess)
        #expect([SolverStatus.convergenceFailure, .linearSolverSetupFailure].contains(solution.status))
        #expect(solution.finalState.allSatisfy { $0.isFinite })
    }
}
