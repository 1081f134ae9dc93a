import Foundation
import Sundials

// Every public path of the wrapper in one plain function with no Swift Testing dependency, so the
// same file can be compiled into a standalone executable for valgrind (Swift Testing's libdispatch
// main loop crashes valgrind 3.19). From the package root, after `swift build --build-tests`:
//
//     mkdir -p /tmp/mc && echo 'import Foundation; let f = memcheckScenarios(); print(f.isEmpty ? "all checks passed" : "\(f)"); exit(f.isEmpty ? 0 : 1)' > /tmp/mc/main.swift
//     swiftc -g -Onone -I .build/debug/Modules -Xcc -fmodule-map-file=Sources/CSundials/module.modulemap \
//         -Xcc -fmodule-map-file=Sources/COpenBLAS/module.modulemap \
//         /tmp/mc/main.swift Tests/SundialsTests/MemcheckScenarios.swift .build/debug/Sundials.build/*.o \
//         .build/debug/LinearAlgebra.build/*.o \
//         -lsundials_cvode -lsundials_kinsol -lsundials_nvecserial -lsundials_sunmatrixdense \
//         -lsundials_sunlinsoldense -lsundials_sunlinsolspgmr -lsundials_generic -lopenblas -llapacke -lm \
//         -o /tmp/sundials-memcheck
//     valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=3 /tmp/sundials-memcheck

/// An error the scenarios throw from callbacks.
private struct ScenarioFailure: Error, CustomStringConvertible {
    let description: String
}

/// A two-component decay `y₀' = −0.7 y₀`, `y₁' = −(y₁ − 1)` with its Jacobian and JVP.
private func twoComponentDecay(endTime: Double = 4) -> ODEProblem {
    ODEProblem(
        initialState: [2, -1], endTime: endTime,
        vectorField: { _, y, d in
            d[0] = -0.7 * y[0]
            d[1] = -(y[1] - 1)
        },
        jacobian: { _, _, j in
            j[0] = -0.7
            j[3] = -1
        },
        jacobianVectorProduct: { _, _, v, jv in
            jv[0] = -0.7 * v[0]
            jv[1] = -v[1]
        })
}

/// Robertson's kinetics with its dense Jacobian.
private func robertson() -> ODEProblem {
    ODEProblem(
        initialState: [1, 0, 0], endTime: 4e10,
        vectorField: { _, y, d in
            d[0] = -0.04 * y[0] + 1e4 * y[1] * y[2]
            d[2] = 3e7 * y[1] * y[1]
            d[1] = -d[0] - d[2]
        },
        jacobian: { _, y, j in
            j[0] = -0.04; j[3] = 1e4 * y[2]; j[6] = 1e4 * y[1]
            j[1] = 0.04; j[4] = -1e4 * y[2] - 6e7 * y[1]; j[7] = -1e4 * y[1]
            j[2] = 0; j[5] = 6e7 * y[1]; j[8] = 0
        })
}

/// Runs every integration and Newton path (success, steady state, observer stop, step limit,
/// throwing callbacks, NaN field, impossible accuracy, setup errors, KINSOL successes and failures).
/// - Returns: The names of the checks that failed (empty when all pass).
func memcheckScenarios() -> [String] {
    var failures: [String] = []
    func check(_ ok: Bool, _ what: String) { if !ok { failures.append(what) } }
    let solvers: [LinearSolverKind] = [.dense, .denseDifferenceQuotient, .gmres(), .gmres(maxKrylov: 2)]
    do {
        for method in IntegrationMethod.allCases {
            for solver in solvers {
                var steps = 0
                let options = SolverOptions(
                    method: method, relativeTolerance: 1e-10, absoluteTolerance: .perComponent([1e-12, 1e-12]),
                    linearSolver: solver, saveTimes: [0, 1, 2, 4])
                let plain = try integrate(twoComponentDecay(), options: options) { _, _ in
                    steps += 1
                    return true
                }
                check(plain.status == .success && abs(plain.finalState[0] - 2 * exp(-2.8)) < 1e-7
                      && steps == plain.statistics.steps, "decay \(method) \(solver)")

                let steady = try integrate(
                    twoComponentDecay(endTime: 1000),
                    options: SolverOptions(method: method, linearSolver: solver, stopAtSteadyState: true))
                check(steady.status == .steadyState, "steady state \(method) \(solver)")

                var throwing = twoComponentDecay()
                throwing.vectorField = { t, y, d in
                    if t > 0.5 { throw ScenarioFailure(description: "rhs") }
                    d[0] = -y[0]
                    d[1] = 0
                }
                let thrown = try integrate(throwing, options: SolverOptions(method: method, linearSolver: solver))
                check(thrown.status == .callbackError("rhs"), "rhs throw \(method) \(solver)")

                let limited = try integrate(
                    twoComponentDecay(endTime: 1e6),
                    options: SolverOptions(method: method, linearSolver: solver, maxSteps: 10))
                check(limited.status == .tooMuchWork, "too much work \(method) \(solver)")

                let observed = try integrate(
                    twoComponentDecay(), options: SolverOptions(method: method, linearSolver: solver)) { t, _ in t < 1 }
                check(observed.status == .stoppedByObserver, "observer stop \(method) \(solver)")
            }

            var badJacobian = twoComponentDecay()
            badJacobian.jacobian = { _, _, _ in throw ScenarioFailure(description: "jac") }
            check(try integrate(badJacobian, options: SolverOptions(method: method)).status == .callbackError("jac"),
                  "jacobian throw \(method)")

            var badProduct = twoComponentDecay()
            badProduct.jacobianVectorProduct = { _, _, _, _ in throw ScenarioFailure(description: "jvp") }
            check(try integrate(badProduct, options: SolverOptions(method: method, linearSolver: .gmres())).status
                  == .callbackError("jvp"), "jvp throw \(method)")

            var nanField = twoComponentDecay(endTime: 2)
            nanField.vectorField = { t, y, d in
                d[0] = t > 1 ? .nan : -y[0]
                d[1] = 0
            }
            let nanOptions = SolverOptions(method: method, linearSolver: .denseDifferenceQuotient, maxSteps: 2000)
            check(!(try integrate(nanField, options: nanOptions).status.isSuccess), "nan field \(method)")

            let impossible = SolverOptions(method: method, relativeTolerance: 1e-20, absoluteTolerance: .scalar(1e-30))
            check(try integrate(twoComponentDecay(), options: impossible).status == .tooMuchAccuracy,
                  "too much accuracy \(method)")
        }

        let rob = try integrate(
            robertson(),
            options: SolverOptions(
                relativeTolerance: 1e-8, absoluteTolerance: .perComponent([1e-10, 1e-14, 1e-8]), saveTimes: [0.4, 4e10]))
        check(rob.status == .success && abs(rob.finalState[0] - 5.2083495894337328e-08) < 1e-9, "robertson")

        for bad in [SolverOptions(relativeTolerance: -1), SolverOptions(saveTimes: [5]), SolverOptions(maxSteps: 0)] {
            do {
                _ = try integrate(twoComponentDecay(), options: bad)
                check(false, "bad options accepted")
            } catch {}
        }
        var noJacobian = twoComponentDecay()
        noJacobian.jacobian = nil
        do {
            _ = try integrate(noJacobian)
            check(false, ".dense without a jacobian accepted")
        } catch {}

        let roots = try solveNewton(NonlinearProblem(initialGuess: [1, 2, -1]) { x, f in
            for i in 0..<3 { f[i] = x[i] * x[i] - 2 }
        })
        check(roots.status.isConverged && roots.residualNorm <= 1e-10, "sqrt 2")

        let system = try solveNewton(NonlinearProblem(
            initialGuess: [-2, 1],
            residual: { v, f in
                f[0] = v[0] * v[0] + v[1] * v[1] - 4
                f[1] = exp(v[0]) + v[1] - 1
            },
            jacobian: { v, j in
                j[0] = 2 * v[0]; j[2] = 2 * v[1]
                j[1] = exp(v[0]); j[3] = 1
            }))
        check(system.status.isConverged, "2x2 system")

        for lineSearch in [true, false] {
            var options = NewtonOptions()
            options.lineSearch = lineSearch
            let none = try solveNewton(
                NonlinearProblem(initialGuess: [1]) { x, f in f[0] = x[0] * x[0] + 1 }, options: options)
            check(!none.status.isConverged, "no root, line search \(lineSearch)")
        }

        let throwingResidual = try solveNewton(NonlinearProblem(initialGuess: [3]) { x, f in
            if x[0] < 2 { throw ScenarioFailure(description: "residual") }
            f[0] = x[0] * x[0] - 2
        })
        check(throwingResidual.status == .callbackError("residual"), "residual throw")

        let throwingJacobian = try solveNewton(NonlinearProblem(
            initialGuess: [3], residual: { x, f in f[0] = x[0] * x[0] - 2 },
            jacobian: { _, _ in throw ScenarioFailure(description: "jacobian") }))
        check(throwingJacobian.status == .callbackError("jacobian"), "newton jacobian throw")

        // The LAPACK dense solver's failure paths: a singular Newton Jacobian (SUNLS_LUFACT_FAIL) and an
        // infinite CVODE Jacobian (SUNLS_PACKAGE_FAIL_REC at every setup).
        let singular = try solveNewton(NonlinearProblem(
            initialGuess: [0.3, -0.2],
            residual: { v, f in
                f[0] = v[0] + v[1] - 1
                f[1] = 2 * v[0] + 2 * v[1] - 3
            },
            jacobian: { _, j in j[0] = 1; j[1] = 2; j[2] = 1; j[3] = 2 }))
        check(singular.status == .linearSolverFailure, "singular newton jacobian")
        var infinite = twoComponentDecay()
        infinite.jacobian = { _, _, j in j[0] = -0.7; j[3] = .infinity }
        check(!(try integrate(infinite, options: SolverOptions(linearSolver: .dense)).status.isSuccess),
              "infinite jacobian")

        do {
            _ = try solveNewton(NonlinearProblem(initialGuess: [.nan]) { _, _ in })
            check(false, "NaN guess accepted")
        } catch {}
    } catch {
        failures.append("unexpected throw: \(error)")
    }
    return failures
}
