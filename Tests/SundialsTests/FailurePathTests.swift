import Foundation
import Sundials
import Testing

/// Integration failures come back as statuses, with the states saved before the failure.
@Suite struct FailurePathTests {
    static func decay(endTime: Double) -> ODEProblem {
        ODEProblem(
            initialState: [1], endTime: endTime,
            vectorField: { _, y, ydot in ydot[0] = -y[0] },
            jacobian: { _, _, jac in jac[0] = -1 },
            jacobianVectorProduct: { _, _, v, jv in jv[0] = -v[0] })
    }

    @Test func maxStepsGivesTooMuchWorkWithSavesSoFar() throws {
        let saves = [0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1000]
        let options = SolverOptions(relativeTolerance: 1e-8, maxSteps: 10, saveTimes: saves)
        let solution = try integrate(Self.decay(endTime: 1000), options: options)
        #expect(solution.status == .tooMuchWork)
        #expect(!solution.status.isSuccess)
        #expect(solution.status.description == "too_much_work")
        #expect(solution.statistics.steps == 10)
        #expect(solution.finalTime > 0 && solution.finalTime < 1000)
        #expect(solution.times == saves.filter { $0 <= solution.finalTime })
        #expect(solution.times.count >= 2)
        for (k, t) in solution.times.enumerated() {
            #expect(abs((solution.state(at: k).first ?? .nan) - exp(-t)) <= 1e-6)
        }
        #expect(abs(solution.finalState[0] - exp(-solution.finalTime)) <= 1e-6)
    }

    @Test(arguments: IntegrationMethod.allCases, allLinearSolvers)
    func throwingVectorFieldGivesCallbackError(method: IntegrationMethod, solver: LinearSolverKind) throws {
        var problem = Self.decay(endTime: 2)
        problem.vectorField = { t, y, ydot in
            if t > 0.5 { throw InjectedFailure(description: "vector field refused t > 0.5") }
            ydot[0] = -y[0]
        }
        let options = SolverOptions(method: method, linearSolver: solver, saveTimes: [0, 0.25, 1, 2])
        let solution = try integrate(problem, options: options)
        #expect(solution.status == .callbackError("vector field refused t > 0.5"))
        #expect(solution.status.description == "callback_error: vector field refused t > 0.5")
        #expect(solution.times == [0, 0.25])
        #expect(abs((solution.state(at: 1).first ?? .nan) - exp(-0.25)) <= 1e-5)
        #expect(solution.finalTime >= 0.25 && solution.finalTime <= 0.5)
        #expect(abs(solution.finalState[0] - exp(-solution.finalTime)) <= 1e-5)
    }

    @Test func throwingAtTheFirstEvaluation() throws {
        var problem = Self.decay(endTime: 1)
        problem.vectorField = { _, _, _ in throw InjectedFailure(description: "no") }
        let solution = try integrate(problem, options: SolverOptions(linearSolver: .denseDifferenceQuotient))
        #expect(solution.status == .callbackError("no"))
        #expect(solution.times == [0])
        #expect(solution.finalTime == 0)
        #expect(solution.finalState == [1])
    }

    @Test func throwingJacobianGivesCallbackError() throws {
        var problem = Self.decay(endTime: 1)
        problem.jacobian = { _, _, _ in throw InjectedFailure(description: "jacobian failed") }
        let solution = try integrate(problem, options: SolverOptions(linearSolver: .dense))
        #expect(solution.status == .callbackError("jacobian failed"))
    }

    @Test func throwingJacobianVectorProductGivesCallbackError() throws {
        var problem = Self.decay(endTime: 1)
        problem.jacobianVectorProduct = { _, _, _, _ in throw InjectedFailure(description: "jvp failed") }
        let solution = try integrate(problem, options: SolverOptions(linearSolver: .gmres()))
        #expect(solution.status == .callbackError("jvp failed"))
    }

    @Test func throwingDuringSteadyStateCheck() throws {
        // CVODE never evaluates f beyond the step, but the steady-state test evaluates at the step's end:
        // a field that throws only for y < 0.5 (reached near t = ln 2) fails one way or the other.
        var problem = Self.decay(endTime: 10)
        problem.vectorField = { _, y, ydot in
            if y[0] < 0.5 { throw InjectedFailure(description: "below one half") }
            ydot[0] = -y[0]
        }
        let solution = try integrate(problem, options: SolverOptions(stopAtSteadyState: true))
        #expect(solution.status == .callbackError("below one half"))
        #expect(solution.finalTime < 1)
    }

    /// A field that turns NaN makes CVODE fail its tests: a failure status, not a crash.
    @Test func nanVectorFieldFailsWithoutCrashing() throws {
        var problem = Self.decay(endTime: 2)
        problem.vectorField = { t, y, ydot in ydot[0] = t > 1 ? .nan : -y[0] }
        let solution = try integrate(problem, options: SolverOptions(linearSolver: .denseDifferenceQuotient))
        #expect(!solution.status.isSuccess)
        #expect(solution.finalTime <= 1.0 + 1e-9)
        #expect(solution.finalState[0].isFinite)
    }

    /// Tolerances far below machine precision: CVODE's CV_TOO_MUCH_ACC.
    @Test func impossibleAccuracyGivesTooMuchAccuracy() throws {
        let options = SolverOptions(relativeTolerance: 1e-20, absoluteTolerance: .scalar(1e-30))
        let solution = try integrate(Self.decay(endTime: 1), options: options)
        #expect(solution.status == .tooMuchAccuracy)
        #expect(solution.status.description == "too_much_accuracy")
    }

    @Test func statusDescriptionsAreSnakeCase() {
        #expect(SolverStatus.success.description == "success")
        #expect(SolverStatus.stoppedByObserver.description == "stopped_by_observer")
        #expect(SolverStatus.convergenceFailure.description == "convergence_failure")
        #expect(SolverStatus.linearSolverSetupFailure.description == "linear_solver_setup_failure")
        #expect(SolverStatus.other(code: -16).description == "other: CV_NLS_FAIL (-16)")
        #expect(!SolverStatus.other(code: -16).isSuccess)
    }
}

/// The valgrind scenarios (MemcheckScenarios.swift) also run as a test, so they stay correct.
@Test func memcheckScenariosPass() {
    #expect(memcheckScenarios() == [])
}
