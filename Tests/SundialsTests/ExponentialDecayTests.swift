import Foundation
import Sundials
import Testing

/// y' = −k y, y(0) = y₀: exact solution y₀ exp(−k t), with rtol 1e-10 every method and linear
/// solver must be within relative 1e-8 at every save time.
@Suite struct ExponentialDecayTests {
    static let rate = 0.7
    static let initial = 2.0
    static let endTime = 4.0
    static let saveTimes = (0...8).map { Double($0) * 0.5 }

    static func exact(_ t: Double) -> Double { initial * exp(-rate * t) }

    static func problem() -> ODEProblem {
        ODEProblem(
            initialState: [initial], endTime: endTime,
            vectorField: { _, y, ydot in ydot[0] = -rate * y[0] },
            jacobian: { _, _, jac in jac[0] = -rate },
            jacobianVectorProduct: { _, _, v, jv in jv[0] = -rate * v[0] })
    }

    static func solve(_ method: IntegrationMethod, _ solver: LinearSolverKind) throws -> ODESolution {
        let options = SolverOptions(
            method: method, relativeTolerance: 1e-10, absoluteTolerance: .scalar(1e-14),
            linearSolver: solver, saveTimes: saveTimes)
        return try integrate(problem(), options: options)
    }

    @Test(arguments: IntegrationMethod.allCases, allLinearSolvers)
    func matchesExactSolution(method: IntegrationMethod, solver: LinearSolverKind) throws {
        let solution = try Self.solve(method, solver)
        #expect(solution.status == .success)
        #expect(solution.times == Self.saveTimes)
        #expect(solution.finalTime == Self.endTime)
        #expect(solution.dimension == 1)
        #expect(solution.states.count == Self.saveTimes.count)
        let worst = zip(solution.times, solution.states).map { relativeError($1, Self.exact($0)) }.max() ?? .infinity
        #expect(worst <= 1e-8, "worst relative error \(worst) for \(method), \(solver)")
        #expect(relativeError(solution.finalState[0], Self.exact(Self.endTime)) <= 1e-8)
        #expect(solution.statistics.steps > 0)
        #expect(solution.statistics.rhsEvaluations >= solution.statistics.steps)
        #expect(solution.statistics.nonlinearIterations > 0)
        switch solver {
        case .dense, .denseDifferenceQuotient:
            #expect(solution.statistics.jacobianEvaluations > 0)
            #expect(solution.statistics.jvpEvaluations == 0)
        case .gmres:
            #expect(solution.statistics.jacobianEvaluations == 0)
            #expect(solution.statistics.jvpEvaluations > 0)
            #expect(solution.statistics.linearIterations > 0)
        }
    }

    @Test func allMethodsAndSolversAgree() throws {
        var solutions: [ODESolution] = []
        for method in IntegrationMethod.allCases {
            for solver in allLinearSolvers { solutions.append(try Self.solve(method, solver)) }
        }
        let reference = solutions[0]
        for solution in solutions.dropFirst() {
            #expect(solution.times == reference.times)
            for (a, b) in zip(solution.states, reference.states) {
                #expect(relativeError(a, b) <= 2e-8)
            }
        }
    }

    /// The analytic Jacobian and JVP closures are what the dense and GMRES solvers call.
    @Test func analyticDerivativesAreUsed() throws {
        final class Counter { var jacobian = 0; var product = 0 }
        let counter = Counter()
        var problem = Self.problem()
        problem.jacobian = { _, _, jac in counter.jacobian += 1; jac[0] = -Self.rate }
        problem.jacobianVectorProduct = { _, _, v, jv in counter.product += 1; jv[0] = -Self.rate * v[0] }
        let dense = try integrate(problem, options: SolverOptions(linearSolver: .dense))
        #expect(dense.status == .success)
        #expect(counter.jacobian == dense.statistics.jacobianEvaluations)
        #expect(counter.jacobian > 0 && counter.product == 0)
        let gmres = try integrate(problem, options: SolverOptions(linearSolver: .gmres()))
        #expect(gmres.status == .success)
        #expect(counter.product == gmres.statistics.jvpEvaluations)
    }

    /// GMRES without an analytic JVP falls back to CVODE's difference quotient and still converges.
    @Test func gmresWithDifferenceQuotientJVP() throws {
        var problem = Self.problem()
        problem.jacobianVectorProduct = nil
        let options = SolverOptions(
            relativeTolerance: 1e-10, absoluteTolerance: .scalar(1e-14), linearSolver: .gmres())
        let solution = try integrate(problem, options: options)
        #expect(solution.status == .success)
        #expect(relativeError(solution.finalState[0], Self.exact(Self.endTime)) <= 1e-8)
        #expect(solution.statistics.jvpEvaluations > 0)
    }

    /// Default save times are the start and the end; `state(at:)` is empty out of range.
    @Test func defaultSaveTimesAreStartAndEnd() throws {
        let solution = try integrate(Self.problem(), options: SolverOptions(relativeTolerance: 1e-10))
        #expect(solution.times == [0, Self.endTime])
        #expect(Array(solution.state(at: 0)) == [Self.initial])
        #expect(Array(solution.state(at: 1)) == solution.finalState)
        #expect(solution.state(at: 2).isEmpty)
        #expect(solution.state(at: -1).isEmpty)
    }
}
