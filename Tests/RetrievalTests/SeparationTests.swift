import Foundation
import TestSupport
import Testing
@testable import Retrieval

@Suite struct SeparationTests {
    func applied(_ separation: Separation, _ scores: [Double]) -> ([Double], Int?) {
        var row = scores
        let bad = row.withUnsafeMutableBufferPointer { separation.apply($0) }
        return (row, bad)
    }

    @Test func valuesByHand() {
        let s = [1.0, 4, 9]
        #expect(applied(.identity, s).0 == s)
        #expect(applied(.square, s).0 == [1, 16, 81])
        #expect(applied(.cube, s).0 == [1, 64, 729])
        #expect(applied(.power(0.5), s).0 == [1, 2, 3])
        #expect(applied(.sqrt, s).0 == [1, 2, 3])
        #expect(isApproximatelyEqual(applied(.log, s).0, [0, log(4), log(9)], relativeTolerance: 1e-15))
        #expect(applied(.max, s).0 == [0, 0, 1])
        #expect(applied(.threshold(radius: 4), s).0 == [1, 1, 0])
        let e = [exp(0.5), exp(2.0), exp(4.5)]
        let total = e.reduce(0, +)
        #expect(isApproximatelyEqual(applied(.softmax(beta: 0.5), s).0, e.map { $0 / total }, relativeTolerance: 1e-14))
    }

    @Test func softmaxIsStableForLargeScores() {
        let (w, _) = applied(.softmax(beta: 100), [1e6, 1e6 - 1, -1e6])
        #expect(w.allSatisfy { $0.isFinite })
        #expect(isApproximatelyEqual(w[0], 1 / (1 + exp(-100.0)), relativeTolerance: 1e-14))
    }

    @Test func domainViolationsReportTheIndex() {
        #expect(applied(.log, [1, 0, 2]).1 == 1)
        #expect(applied(.sqrt, [1, 2, -3]).1 == 2)
        #expect(applied(.power(1.5), [-1, 2]).1 == 0)
        #expect(applied(.power(2), [-3, 2]) == ([9, 4], nil))
    }

    @Test func maxIgnoresNaNAndTakesFirstOfTies() {
        #expect(applied(.max, [.nan, 2, 5, 5]).0 == [0, 0, 1, 0])
        #expect(applied(.max, [-.infinity, -.infinity]).0 == [1, 0])
    }
}
