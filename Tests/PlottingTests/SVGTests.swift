import Foundation
import TestSupport
import Testing
@testable import Plotting

@Suite struct SVGTests {
    @Test func escapingCoversMarkupCharacters() {
        #expect(xmlEscaped(#"a<b & c>"d" 'e'"#) == "a&lt;b &amp; c&gt;&quot;d&quot; &apos;e&apos;")
        #expect(xmlEscaped("bell\u{07}") == "bell\u{FFFD}")
        #expect(xmlEscaped("λ ≥ 0") == "λ ≥ 0")
    }

    @Test func hostileTextIsEscapedInEveryPlotType() throws {
        let nasty = #"</text><script>alert("x")</script> & ']]>"#
        let series = try Series(name: nasty, xs: [0, 1], ys: [0, 1])
        let other = try Series(name: "b", xs: [0, 1], ys: [1, 0])
        let plots: [String] = [
            LinePlot(title: nasty, xLabel: nasty, yLabel: nasty, series: [series, other]).svg(),
            ScatterPlot(title: nasty, xLabel: nasty, sets: [try PointSet(name: nasty, xs: [1], ys: [1])]).svg(),
            ImageGrid(title: nasty, rowCaptions: [nasty], columnCaptions: [nasty],
                      cells: [[try GrayImage(rows: 1, columns: 1, pixels: [0])]]).svg(),
            Figure(title: nasty, panels: [.line(LinePlot(series: [series]))]).svg(),
        ]
        for svg in plots {
            #expect(!svg.contains("<script>"))
            #expect(svg.contains("&lt;script&gt;"))
            let parsed = parseXML(svg)
            #expect((try? parsed.get()) != nil, "\(parsed)")
            #expect((try? parsed.get())?.contains("script") == false)
        }
    }

    @Test func everySampleIsWellFormedXML() throws {
        let documents = [
            Samples.energy().svg(), Samples.energyDecay().svg(), Samples.trajectories().svg(),
            Samples.spectrum().svg(), Samples.images().svg(), Samples.figure().svg(),
            Samples.convergence().svg(), Samples.dashboard().svg(),
        ]
        for svg in documents {
            let names = try parseXML(svg).get()
            #expect(names.first == "svg")
            #expect(svg.hasPrefix("<?xml"))
        }
    }

    @Test func emptyAndDegenerateInputsStillGiveValidSVG() throws {
        let documents = [
            LinePlot(series: []).svg(),
            LinePlot(series: [try Series(name: "c", xs: [1, 2, 3], ys: [5, 5, 5])]).svg(),
            LinePlot(series: [try Series(name: "n", xs: [0, 1], ys: [.nan, .nan])], yScale: .log).svg(),
            ScatterPlot(sets: []).svg(),
            ImageGrid(cells: []).svg(),
            ImageGrid(cells: [[nil, try GrayImage(rows: 2, columns: 2, pixels: [.nan, 1, 1, 1])]]).svg(),
            Figure(panels: []).svg(),
        ]
        for svg in documents {
            #expect((try? parseXML(svg).get()) != nil)
            #expect(!svg.contains("nan") && !svg.contains("inf"))
        }
    }

    @Test func outputIsDeterministic() {
        #expect(Samples.trajectories().svg() == Samples.trajectories().svg())
        #expect(Samples.figure().svg() == Samples.figure().svg())
    }

    @Test func nonFiniteAndNonPositivePointsBreakTheLine() throws {
        let ys = [1.0, 2, .nan, 4, 5, .infinity, 7, 8]
        let plot = LinePlot(series: [try Series(name: "s", xs: Array(0..<8).map(Double.init), ys: ys)])
        let svg = plot.svg()
        // Three runs: [1,2], [4,5], [7,8] → one path with three sub-paths.
        let paths = svg.components(separatedBy: "<path d=\"").dropFirst()
        #expect(paths.count == 1)
        let d = paths.first.map { String($0.prefix { $0 != "\"" }) } ?? ""
        #expect(occurrences(of: "M", in: d) == 3)
        #expect(occurrences(of: "L", in: d) == 3)
        #expect(!svg.contains("nan") && !svg.contains("inf"))

        // On a log axis a zero and a negative value are skipped too; a lone point becomes a dot.
        let logPlot = LinePlot(
            series: [try Series(name: "s", xs: [0, 1, 2, 3, 4, 5], ys: [1, 0.1, 0, 0.01, -1, 1e-3])],
            yScale: .log)
        let logSVG = logPlot.svg()
        let logD = logSVG.components(separatedBy: "<path d=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) } ?? ""
        #expect(occurrences(of: "M", in: logD) == 1)
        #expect(occurrences(of: "<circle", in: logSVG) == 2)
    }

    @Test func legendOnlyWithSeveralSeries() throws {
        let one = LinePlot(series: [try Series(name: "only-series-name", xs: [0, 1], ys: [0, 1])]).svg()
        #expect(!one.contains("only-series-name"))
        let many = Samples.trajectories().svg()
        for k in 0..<16 { #expect(many.contains(">neuron \(k)</text>")) }
    }

    @Test func seriesGetDistinctPaletteColours() {
        let svg = Samples.trajectories().svg()
        for color in Color.palette { #expect(svg.contains("stroke=\"\(color.svgValue)\"")) }
    }

    @Test func mismatchedLengthsThrow() {
        #expect(throws: PlotError.lengthMismatch(series: "s", xs: 2, ys: 3)) {
            try Series(name: "s", xs: [0, 1], ys: [0, 1, 2])
        }
        #expect(throws: PlotError.self) { try PointSet(name: "p", xs: [0], ys: []) }
        #expect(throws: PlotError.pixelCountMismatch(expected: 4, actual: 3)) {
            try GrayImage(rows: 2, columns: 2, pixels: [0, 1, 2])
        }
    }

    @Test func scatterDrawsReferenceLineAtZeroAndEveryPoint() throws {
        let plot = ScatterPlot(sets: [try PointSet(name: "λ", xs: [-1, -2, .nan], ys: [0.5, -0.5, 0])])
        let svg = plot.svg()
        #expect(occurrences(of: "<circle", in: svg) == 2)
        #expect(svg.contains("stroke-dasharray=\"6 4\""))
        // Both axes include the origin even though every point has Re < 0.
        #expect(svg.contains(">0</text>") || svg.contains(">0.0</text>"))
    }

    @Test func imageRowsMergeEqualRuns() throws {
        // A 2 × 4 image: row 0 constant (one run), row 1 alternating (four runs).
        let image = try GrayImage(rows: 2, columns: 4, pixels: [0.5, 0.5, 0.5, 0.5, 0, 1, 0, 1])
        let svg = ImageGrid(cells: [[image]], range: .fixed(low: 0, high: 1)).svg()
        // 1 background + 5 runs + 1 frame.
        #expect(occurrences(of: "<rect", in: svg) == 7)
        #expect(svg.contains("fill=\"#808080\""))
        #expect(ImageGrid.greyLevel(0, low: 0, high: 1, inverted: false) == 0)
        #expect(ImageGrid.greyLevel(2, low: 0, high: 1, inverted: false) == 255)
        #expect(ImageGrid.greyLevel(0.25, low: 0, high: 1, inverted: true) == 191)
        #expect(ImageGrid.greyLevel(.nan, low: 0, high: 1, inverted: false) == nil)
    }

    @Test func figureLaysOutPanelsAndKeepsIdsUnique() {
        let side = Figure.sideBySide([.line(Samples.energy()), .scatter(Samples.spectrum())])
        #expect(side.width == Samples.energy().width + Samples.spectrum().width)
        #expect(side.height == max(Samples.energy().height, Samples.spectrum().height))
        let stacked = Samples.figure()
        #expect(stacked.height == 34 + Samples.energy().height + Samples.energyDecay().height)
        let svg = stacked.svg()
        #expect(svg.contains("id=\"panel0-plot-area\"") && svg.contains("id=\"panel1-plot-area\""))
    }
}
