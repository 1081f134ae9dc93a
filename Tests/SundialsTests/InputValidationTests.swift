import Sundials
import Testing

/// Setup problems throw `SundialsError.invalidInput` before CVODE is touched.
@Suite struct InputValidationTests {
    static func problem(_ initial: [Double] = [1, 2], start: Double = 0, end: Double = 1,
                        withJacobian: Bool = true) -> ODEProblem {
        ODEProblem(
            initialState: initial, startTime: start, endTime: end,
            vectorField: { _, y, ydot in for i in 0..<y.count { ydot[i] = -y[i] } },
            jacobian: withJacobian ? { _, y, jac in for i in 0..<y.count { jac[i + i * y.count] = -1 } } : nil)
    }

    @Test func nanInitialState() {
        let message = expectInvalidInput { _ = try integrate(Self.problem([1, .nan])) }
        #expect(message?.contains("component 1") == true)
    }

    @Test("a state split over processes refuses dense solvers and a layout that does not match, before MPI is touched")
    func parallelLayout() {
        let layout = ParallelVectorLayout(localLength: 2, globalLength: 5)
        for solver in [LinearSolverKind.dense, .denseDifferenceQuotient] {
            let message = expectInvalidInput {
                _ = try integrate(Self.problem(), options: SolverOptions(linearSolver: solver), layout: layout)
            }
            #expect(message?.contains("no dense Jacobian") == true)
        }
        let message = expectInvalidInput {
            _ = try integrate(
                Self.problem(), options: SolverOptions(linearSolver: .gmres()),
                layout: ParallelVectorLayout(localLength: 3, globalLength: 5))
        }
        #expect(message?.contains("does not match") == true)
    }

    @Test func emptyInitialState() {
        expectInvalidInput { _ = try integrate(Self.problem([])) }
    }

    @Test func negativeRelativeTolerance() {
        expectInvalidInput { _ = try integrate(Self.problem(), options: SolverOptions(relativeTolerance: -1e-6)) }
    }

    @Test func badAbsoluteTolerances() {
        expectInvalidInput { _ = try integrate(Self.problem(), options: SolverOptions(absoluteTolerance: .scalar(-1))) }
        expectInvalidInput {
            _ = try integrate(Self.problem(), options: SolverOptions(absoluteTolerance: .perComponent([1e-8])))
        }
        expectInvalidInput {
            _ = try integrate(Self.problem(), options: SolverOptions(absoluteTolerance: .perComponent([1e-8, .nan])))
        }
        expectInvalidInput {
            _ = try integrate(
                Self.problem(), options: SolverOptions(relativeTolerance: 0, absoluteTolerance: .scalar(0)))
        }
    }

    @Test(arguments: [[-0.1], [0.5, 1.5], [0.5, 0.25], [0.5, 0.5], [Double.nan]])
    func saveTimesOutsideSpanOrUnordered(_ saves: [Double]) {
        expectInvalidInput { _ = try integrate(Self.problem(), options: SolverOptions(saveTimes: saves)) }
    }

    @Test func denseWithoutJacobian() {
        let message = expectInvalidInput {
            _ = try integrate(Self.problem(withJacobian: false), options: SolverOptions(linearSolver: .dense))
        }
        #expect(message?.contains("jacobian") == true)
        // The difference-quotient and GMRES solvers need no Jacobian.
        #expect(throws: Never.self) {
            _ = try integrate(Self.problem(withJacobian: false), options: SolverOptions(linearSolver: .gmres()))
        }
    }

    @Test func badTimeSpanAndLimits() {
        expectInvalidInput { _ = try integrate(Self.problem(end: 0)) }
        expectInvalidInput { _ = try integrate(Self.problem(start: 1, end: 0.5)) }
        expectInvalidInput { _ = try integrate(Self.problem(end: .infinity)) }
        expectInvalidInput { _ = try integrate(Self.problem(), options: SolverOptions(maxSteps: 0)) }
        expectInvalidInput { _ = try integrate(Self.problem(), options: SolverOptions(maxStepSize: 0)) }
        expectInvalidInput { _ = try integrate(Self.problem(), options: SolverOptions(initialStepSize: -1)) }
        expectInvalidInput {
            _ = try integrate(Self.problem(), options: SolverOptions(linearSolver: .gmres(maxKrylov: -1)))
        }
    }

    @Test func errorDescriptionsAreOneLine() {
        #expect(SundialsError.invalidInput("x").description == "invalid input: x")
        #expect(SundialsError.allocationFailed("CVodeCreate").description == "allocation failed: CVodeCreate returned NULL")
        #expect(SundialsError.setupFailed(function: "CVodeInit", code: -22).description == "setup failed: CVodeInit returned -22")
    }
}
