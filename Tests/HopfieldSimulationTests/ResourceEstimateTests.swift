import HopfieldSimulation
import Testing

/// The memory estimate that refuses runs before they allocate (issue 14).
@Suite("Resource estimate")
struct ResourceEstimateTests {
    @Test("the parts add up to the formulas (bytes = 8 × doubles)")
    func formulas() {
        let n = 1000, b = 3, saves = 11
        let dense = ResourceEstimate.simulation(dimension: n, batch: b, saves: saves, dense: true, concurrent: 2)
        let expected = 8 * (16 * n + 40 * n * 2 + 3 * 2 * n * n + 2 * saves * b * n + 4 * b * n)
        #expect(dense.bytes == expected)
        let gmres = ResourceEstimate.simulation(dimension: n, batch: b, saves: saves, dense: false, concurrent: 2)
        #expect(dense.bytes - gmres.bytes == 8 * 6 * n * n)
    }

    @Test("absurd sizes saturate instead of overflowing, and are refused naming the way out")
    func saturation() {
        let e = ResourceEstimate.simulation(dimension: 20, batch: 1, saves: Int.max, dense: false, concurrent: 1)
        #expect(e.bytes == Int.max)
        #expect(throws: ResourceError.self) { try e.check(against: MemoryBudget(available: 1 << 30, limitName: "test")) }
        do {
            try e.check(against: MemoryBudget(available: 1 << 30, limitName: "test"))
        } catch {
            #expect(error.description.contains("fewer --saves"))
            #expect(error.description.contains("1.1 GB"))
        }
        let dense = ResourceEstimate.simulation(dimension: 65_536, batch: 1, saves: 2, dense: true, concurrent: 1)
        do {
            try dense.check(against: MemoryBudget(available: 8_000_000_000, limitName: "test"))
            Issue.record("65 536 units with a dense Jacobian (103 GB) fit in 8 GB")
        } catch {
            #expect(error.largest.wayOut == "--linear-solver gmres")
        }
        #expect(throws: Never.self) { try ResourceEstimate.network(dimension: 1000).check(against: MemoryBudget(available: 1 << 30, limitName: "test")) }
    }

    @Test("the budget of this process is positive and at most the physical memory")
    func budget() {
        let b = MemoryBudget.current()
        #expect(b.available > 0)
        #expect(ResourceEstimate.format(bytes: 9_600_000_000) == "9.6 GB")
        #expect(ResourceEstimate.format(bytes: 512) == "512 B")
    }

    @Test("the automatic linear solver is dense up to the limit and GMRES above")
    func automatic() {
        #expect(automaticLinearSolver(dimension: automaticDenseLimit) == .dense)
        if case .gmres = automaticLinearSolver(dimension: automaticDenseLimit + 1) {} else { Issue.record("not GMRES above the limit") }
    }
}
