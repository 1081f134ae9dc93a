import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plotting
import TestSupport

/// Parses `xml` with Foundation's XMLParser; returns the element names in document order, or the
/// parser's error description when the document is not well-formed.
func parseXML(_ xml: String) -> Result<[String], XMLFailure> {
    final class Collector: NSObject, XMLParserDelegate {
        var names: [String] = []
        var texts: [String] = []
        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            names.append(elementName)
        }
    }
    let parser = XMLParser(data: Data(xml.utf8))
    let collector = Collector()
    parser.delegate = collector
    guard parser.parse() else {
        return .failure(XMLFailure(message: parser.parserError.map { "\($0)" } ?? "unknown XML error"))
    }
    return .success(collector.names)
}

struct XMLFailure: Error { var message: String }

/// Counts non-overlapping occurrences of `needle`.
func occurrences(of needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}

/// Sample plots of every kind, used by the XML and rendering tests.
enum Samples {
    static func energy() -> LinePlot {
        let t = (0...400).map { Double($0) * 0.05 }
        let e = t.map { -3 + 2.5 * exp(-0.4 * $0) + 0.3 * exp(-2 * $0) * cos(3 * $0) }
        let series = (try? Series(name: "E(t)", xs: t, ys: e)).map { [$0] } ?? []
        return LinePlot(title: "Energy E(t)", xLabel: "time t", yLabel: "E", series: series)
    }

    static func convergence() -> LinePlot {
        let series = [("Newton", 2.0), ("CVODE BDF", 0.9), ("fixed point", 0.25)].compactMap { name, rate -> Series? in
            let k = (0...60).map(Double.init)
            let r = k.map { max(1e-14, 3 * exp(-rate * $0 * (name == "Newton" ? 0.25 * $0 : 1))) }
            return try? Series(name: name, xs: k, ys: r)
        }
        return LinePlot(
            title: "Residual ‖f(x)‖ per iteration", xLabel: "iteration", yLabel: "‖f(x)‖", series: series,
            yScale: .log, width: 560, height: 360)
    }

    static func energyDecay() -> LinePlot {
        let t = (0...400).map { Double($0) * 0.05 }
        let rates = t.map { 1.0 * exp(-0.4 * $0) + 1e-9 }
        var broken = rates
        broken[150] = .nan   // a failed step: the line must break here
        let ys = broken.enumerated().map { $0.offset > 380 ? 0 : $0.element }  // −dE/dt reaching 0
        let series = (try? Series(name: "−dE/dt", xs: t, ys: ys)).map { [$0] } ?? []
        return LinePlot(
            title: "Energy decay rate −dE/dt", xLabel: "time t", yLabel: "−dE/dt",
            series: series, yScale: AxisScale.automatic(for: ys))
    }

    static func trajectories() -> LinePlot {
        var rng = SplitMix64(seed: 42)
        let t = (0...200).map { Double($0) * 0.1 }
        let series = (0..<16).compactMap { k -> Series? in
            let x0 = Double.random(in: -2...2, using: &rng)
            let target = k % 2 == 0 ? 1.0 : -1.0
            let rate = Double.random(in: 0.2...1.0, using: &rng)
            let ys = t.map { target + (x0 - target) * exp(-rate * $0) }
            return try? Series(name: "neuron \(k)", xs: t, ys: ys)
        }
        return LinePlot(title: "16 trajectories x_i(t)", xLabel: "t", yLabel: "x_i", series: series)
    }

    static func spectrum() -> ScatterPlot {
        var rng = SplitMix64(seed: 7)
        var re: [Double] = [], im: [Double] = []
        for _ in 0..<12 {
            let a = -Double.random(in: 0.1...4, using: &rng), b = Double.random(in: 0...2.5, using: &rng)
            re += [a, a]
            im += [b, -b]
        }
        let stable = (try? PointSet(name: "Jacobian at fixed point", xs: re, ys: im)).map { [$0] } ?? []
        let unstable = (try? PointSet(name: "saddle <unstable>", xs: [0.35, 0.35], ys: [0.8, -0.8])).map { [$0] } ?? []
        return ScatterPlot(title: "Jacobian spectrum", sets: stable + unstable)
    }

    static func images() -> ImageGrid {
        func pattern(_ f: (Int, Int) -> Double) -> GrayImage? {
            try? GrayImage(rows: 28, columns: 28, pixels: (0..<(28 * 28)).map { f($0 / 28, $0 % 28) })
        }
        var rng = SplitMix64(seed: 3)
        let ring = pattern { r, c in
            let d = ((Double(r) - 13.5) * (Double(r) - 13.5) + (Double(c) - 13.5) * (Double(c) - 13.5)).squareRoot()
            return abs(d - 9) < 2.5 ? 1 : 0
        }
        let cross = pattern { r, c in (abs(r - c) < 3 || abs(r + c - 27) < 3) ? 1 : 0 }
        let noisyRing = ring.flatMap { img in
            try? GrayImage(rows: 28, columns: 28, pixels: img.pixels.map { $0 + Double.random(in: -0.6...0.6, using: &rng) })
        }
        let noisyCross = cross.flatMap { img in
            try? GrayImage(rows: 28, columns: 28, pixels: img.pixels.map { Double.random(in: 0...1, using: &rng) < 0.3 ? 1 - $0 : $0 })
        }
        return ImageGrid(
            title: "Retrieval", rowCaptions: ["query 1", "query 2"],
            columnCaptions: ["initial", "final", "nearest stored"],
            cells: [[noisyRing, ring, ring], [noisyCross, cross, cross]],
            range: .fixed(low: 0, high: 1))
    }

    static func figure() -> Figure {
        Figure.stacked(title: "Energy and its decay", [.line(energy()), .line(energyDecay())])
    }

    static func dashboard() -> Figure {
        Figure(title: "Side by side", panels: [.line(convergence()), .scatter(spectrum()), .images(images())], columns: 2)
    }
}
