import Foundation
import Sundials
import Testing

/// The observer sees every internal step and can stop the integration.
@Suite struct ObserverTests {
    static func problem() -> ODEProblem {
        ODEProblem(
            initialState: [1, 0], endTime: 10,
            vectorField: { _, y, ydot in
                ydot[0] = y[1]
                ydot[1] = -y[0]
            },
            jacobian: { _, _, jac in
                jac[0] = 0; jac[2] = 1
                jac[1] = -1; jac[3] = 0
            })
    }

    @Test(arguments: IntegrationMethod.allCases)
    func calledAfterEveryStep(method: IntegrationMethod) throws {
        var calls = 0
        var times: [Double] = []
        var worst = 0.0
        let solution = try integrate(
            Self.problem(), options: SolverOptions(method: method, relativeTolerance: 1e-8)
        ) { t, y in
            calls += 1
            times.append(t)
            worst = max(worst, abs(y[0] - cos(t)), abs(y[1] + sin(t)))
            return true
        }
        #expect(solution.status == .success)
        #expect(calls == solution.statistics.steps)
        #expect(calls > 10)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(times.last == 10)
        #expect(worst <= 1e-5)  // the observer sees the actual step state
    }

    @Test func stopsWhenObserverReturnsFalse() throws {
        var calls = 0
        var lastTime = 0.0
        let solution = try integrate(Self.problem(), options: SolverOptions(saveTimes: [0, 0.5, 1, 5, 10])) { t, _ in
            calls += 1
            lastTime = t
            return t < 1
        }
        #expect(solution.status == .stoppedByObserver)
        #expect(solution.status.isSuccess)
        #expect(solution.finalTime == lastTime)
        #expect(solution.finalTime >= 1 && solution.finalTime < 5)
        #expect(calls == solution.statistics.steps)
        #expect(solution.times == [0, 0.5, 1])
        #expect(abs(solution.finalState[0] - cos(solution.finalTime)) <= 1e-4)
    }
}
