import Foundation
import Sundials
import Testing

/// y' = A y for 2×2 matrices with a closed-form exponential `y(t) = exp(A t) y₀`. The Jacobian is
/// the non-symmetric `A`, so a transposed (row-major) layout would give a wrong answer.
@Suite struct LinearSystemTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Row-major entries a00, a01, a10, a11.
        let a: [Double]
        let initial: [Double]
        let endTime: Double
        let exact: @Sendable (Double) -> [Double]
        var testDescription: String { name }
    }

    /// A = [[−½, 2], [−2, −½]]: exp(At) = e^{−t/2} [[cos 2t, sin 2t], [−sin 2t, cos 2t]].
    static let dampedRotation = Case(
        name: "damped rotation", a: [-0.5, 2, -2, -0.5], initial: [1, 0.5], endTime: 6,
        exact: { t in
            let d = exp(-0.5 * t), c = cos(2 * t), s = sin(2 * t)
            return [d * (c * 1 + s * 0.5), d * (-s * 1 + c * 0.5)]
        })

    /// A = [[−1, 0], [1, −100]] (stiff): y₁ = y₁₀ e^{−t}, y₂ = y₂₀ e^{−100t} + y₁₀ (e^{−t} − e^{−100t}) / 99.
    static let stiffCascade = Case(
        name: "stiff cascade", a: [-1, 0, 1, -100], initial: [2, -1], endTime: 5,
        exact: { t in
            [2 * exp(-t), -1 * exp(-100 * t) + 2 * (exp(-t) - exp(-100 * t)) / 99]
        })

    static func problem(_ c: Case) -> ODEProblem {
        let a = c.a
        return ODEProblem(
            initialState: c.initial, endTime: c.endTime,
            vectorField: { _, y, ydot in
                ydot[0] = a[0] * y[0] + a[1] * y[1]
                ydot[1] = a[2] * y[0] + a[3] * y[1]
            },
            jacobian: { _, _, jac in
                // column-major: jac[i + 2j] = A[i][j]
                jac[0] = a[0]; jac[2] = a[1]
                jac[1] = a[2]; jac[3] = a[3]
            },
            jacobianVectorProduct: { _, _, v, jv in
                jv[0] = a[0] * v[0] + a[1] * v[1]
                jv[1] = a[2] * v[0] + a[3] * v[1]
            })
    }

    @Test(arguments: [dampedRotation, stiffCascade], allLinearSolvers)
    func matchesMatrixExponential(_ c: Case, solver: LinearSolverKind) throws {
        let saves = (0...20).map { Double($0) * c.endTime / 20 }
        let options = SolverOptions(
            relativeTolerance: 1e-10, absoluteTolerance: .scalar(1e-12), linearSolver: solver, saveTimes: saves)
        let solution = try integrate(Self.problem(c), options: options)
        #expect(solution.status == .success)
        #expect(solution.times == saves)
        for (k, t) in solution.times.enumerated() {
            let exact = c.exact(t)
            let y = Array(solution.state(at: k))
            for i in 0..<2 {
                #expect(abs(y[i] - exact[i]) <= 1e-8, "\(c.name), \(solver): y\(i)(\(t)) = \(y[i]) vs \(exact[i])")
            }
        }
    }
}
