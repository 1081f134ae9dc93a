import TestSupport
import Testing
@testable import Plotting

@Suite struct TickTests {
    @Test func unitIntervalGetsFifths() {
        let ticks = AxisTicks(scale: .linear, dataMin: 0, dataMax: 1, targetCount: 6)
        #expect(ticks.major.count == 6)
        for (tick, expected) in zip(ticks.major, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) {
            #expect(abs(tick - expected) < 1e-12)
        }
        #expect(ticks.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ticks.lower == 0 && abs(ticks.upper - 1) < 1e-12)
    }

    @Test func linearRangeWidensToWholeSteps() {
        // −3.7 … 12.1 with ~6 ticks: step 5 (span/6 ≈ 2.6 → 5), range −5 … 15.
        let ticks = AxisTicks(scale: .linear, dataMin: -3.7, dataMax: 12.1, targetCount: 6)
        #expect(ticks.major == [-5, 0, 5, 10, 15])
        #expect(ticks.labels == ["\u{2212}5", "0", "5", "10", "15"])
        #expect(ticks.minor.count == 4 * 4)
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let a = Double.random(in: -1e4...1e4, using: &rng)
            let span = Double.random(in: 1e-3...1e4, using: &rng)
            let ticks = AxisTicks(scale: .linear, dataMin: a, dataMax: a + span, targetCount: 6)
            #expect(ticks.lower <= a && ticks.upper >= a + span)
            let step = ticks.major[1] - ticks.major[0]
            let exponent = (Math.log10(step)).rounded(.down)
            let mantissa = step / Math.pow10(Int(exponent))
            #expect([1, 2, 5, 10].contains { abs(mantissa - Double($0)) < 1e-6 })
            #expect(ticks.major.count >= 3 && ticks.major.count <= 13)
        }
    }

    @Test func logAxisFromMilliToHundredHasDecades() {
        let ticks = AxisTicks(scale: .log, dataMin: 1e-3, dataMax: 1e2)
        #expect(ticks.major.count == 6)
        for (tick, k) in zip(ticks.major, -3...2) {
            #expect(abs(tick / Math.pow10(k) - 1) < 1e-12)
        }
        #expect(ticks.labels == ["0.001", "0.01", "0.1", "1", "10", "100"])
        // Minor ticks at 2…9 × 10ᵏ in each of the five decades.
        #expect(ticks.minor.count == 5 * 8)
        #expect(ticks.minor.contains { abs($0 - 0.002) < 1e-15 })
    }

    @Test func wideLogAxisThinsDecadesAndUsesPowers() {
        let ticks = AxisTicks(scale: .log, dataMin: 3e-13, dataMax: 2e7)
        #expect(ticks.major.count <= 11)
        #expect(ticks.labels.allSatisfy { $0.hasPrefix("10") })
        #expect(ticks.labels.contains("10⁻¹²"))
        #expect(ticks.lower <= 3e-13 && ticks.upper >= 2e7)
    }

    @Test func singleDecadeLogAxisAlsoLabelsTwoAndFive() {
        let ticks = AxisTicks(scale: .log, dataMin: 1.5, dataMax: 8)
        #expect(ticks.labels == ["1", "2", "5", "10"])
        #expect(ticks.minor.count == 6)
    }

    @Test func degenerateAndEmptyRangesStillGiveAnAxis() {
        let constant = AxisTicks(scale: .linear, dataMin: 5, dataMax: 5)
        #expect(constant.lower < 5 && constant.upper > 5)
        let empty = AxisTicks(scale: .linear, dataMin: .nan, dataMax: .nan)
        #expect(empty.lower == 0 && empty.upper == 1)
        let badLog = AxisTicks(scale: .log, dataMin: -1, dataMax: 0)
        #expect(badLog.lower > 0 && badLog.upper > badLog.lower)
    }

    @Test func smallAndLargeMagnitudesUseScientificLabels() {
        let small = AxisTicks(scale: .linear, dataMin: 0, dataMax: 3e-6, targetCount: 6)
        #expect(small.labels.contains("1e-6"))
        let large = AxisTicks(scale: .linear, dataMin: 0, dataMax: 4e7, targetCount: 5)
        #expect(large.labels.contains("1e7"))
    }

    @Test func automaticScaleNeedsThreeDecadesOfNonNegativeData() {
        #expect(AxisScale.automatic(for: [1e-3, 0.5, 1]) == .log)
        #expect(AxisScale.automatic(for: [1e-2, 0.5, 1]) == .linear)
        #expect(AxisScale.automatic(for: [0, 1e-5, 1, .nan]) == .log)
        #expect(AxisScale.automatic(for: [-1e-9, 1e-5, 1]) == .linear)
        #expect(AxisScale.automatic(for: []) == .linear)
    }
}

@Suite struct FormattingTests {
    @Test func fixedDecimalsAreLocaleFreeAndRounded() {
        #expect(NumberFormatting.fixed(0.5, decimals: 2) == "0.50")
        #expect(NumberFormatting.fixed(-0.004, decimals: 2) == "0.00")
        #expect(NumberFormatting.fixed(-2.345, decimals: 1) == "-2.3")
        #expect(NumberFormatting.fixed(1234567.891, decimals: 0) == "1234568")
        #expect(NumberFormatting.coordinate(12.5) == "12.5")
        #expect(NumberFormatting.coordinate(3.0) == "3")
        #expect(NumberFormatting.coordinate(.nan) == "0")
        #expect(NumberFormatting.coordinate(0.1 + 0.2) == "0.3")
    }

    @Test func scientificAndPowers() {
        #expect(NumberFormatting.scientific(2.5e-7, decimals: 1) == "2.5e-7")
        #expect(NumberFormatting.scientific(9.99e5, decimals: 1) == "1e6")
        #expect(NumberFormatting.powerOfTen(-3) == "10⁻³")
        #expect(NumberFormatting.powerOfTen(12) == "10¹²")
    }

    @Test func colorsParseAndPrint() throws {
        #expect(try Color(hex: "#1F77b4").svgValue == "#1f77b4")
        #expect(throws: PlotError.invalidColor("red")) { try Color(hex: "red") }
        #expect(Set(Color.palette).count == 16)
    }
}
