/// Escapes text for XML character data and attribute values.
///
/// `&`, `<`, `>`, `"` and `'` become entities; control characters that XML 1.0 forbids
/// (everything below U+0020 except tab, newline and carriage return) become U+FFFD.
public func xmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                out.unicodeScalars.append("\u{FFFD}")
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}

/// Horizontal text alignment (`text-anchor`).
enum TextAnchor: String {
    case start, middle, end
}

/// An append-only SVG element writer with fixed number formatting.
struct SVGWriter {
    private(set) var output = ""

    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

    private func n(_ x: Double) -> String { NumberFormatting.coordinate(x) }

    /// Wraps a body in the `<svg>` root element with a white background.
    static func document(width: Double, height: Double, body: String) -> String {
        let w = NumberFormatting.coordinate(width), h = NumberFormatting.coordinate(height)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(w)" height="\(h)" \
            viewBox="0 0 \(w) \(h)" font-family="\(fontFamily)">
            <rect x="0" y="0" width="\(w)" height="\(h)" fill="#ffffff"/>

            """ + body + "</svg>\n"
    }

    mutating func raw(_ s: String) { output += s }

    mutating func openGroup(_ attributes: String = "") {
        output += attributes.isEmpty ? "<g>\n" : "<g \(attributes)>\n"
    }

    mutating func closeGroup() { output += "</g>\n" }

    mutating func translate(_ x: Double, _ y: Double) {
        openGroup("transform=\"translate(\(n(x)),\(n(y)))\"")
    }

    mutating func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double,
        stroke: Color, width: Double = 1, dash: String? = nil
    ) {
        output += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" "
            + "stroke=\"\(stroke.svgValue)\" stroke-width=\"\(n(width))\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>\n"
    }

    mutating func rect(
        _ x: Double, _ y: Double, _ width: Double, _ height: Double,
        fill: Color?, stroke: Color? = nil, strokeWidth: Double = 1, extra: String = ""
    ) {
        output += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "fill=\"\(fill?.svgValue ?? "none")\""
            + (stroke.map { " stroke=\"\($0.svgValue)\" stroke-width=\"\(n(strokeWidth))\"" } ?? "")
            + (extra.isEmpty ? "" : " " + extra) + "/>\n"
    }

    mutating func circle(_ cx: Double, _ cy: Double, _ r: Double, fill: Color, opacity: Double? = nil) {
        output += "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(r))\" fill=\"\(fill.svgValue)\""
            + (opacity.map { " fill-opacity=\"\(n($0))\"" } ?? "") + "/>\n"
    }

    mutating func path(_ d: String, stroke: Color, width: Double, extra: String = "") {
        output += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke.svgValue)\" stroke-width=\"\(n(width))\" "
            + "stroke-linejoin=\"round\" stroke-linecap=\"round\"" + (extra.isEmpty ? "" : " " + extra) + "/>\n"
    }

    /// Text whose vertical centre (not baseline) is at `y` when `centred`, else baseline at `y`.
    mutating func text(
        _ string: String, x: Double, y: Double, size: Double = 12, anchor: TextAnchor = .start,
        bold: Bool = false, rotate: Double? = nil, centred: Bool = true, fill: Color = .black
    ) {
        let baseline = centred ? y + 0.35 * size : y
        var attributes = "x=\"\(n(x))\" y=\"\(n(baseline))\" font-size=\"\(n(size))\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { attributes += " font-weight=\"bold\"" }
        if fill != .black { attributes += " fill=\"\(fill.svgValue)\"" }
        if let rotate {
            attributes += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\""
        }
        output += "<text \(attributes)>\(xmlEscaped(string))</text>\n"
    }

    /// Approximate rendered width of `string` in DejaVu Sans at `size` (used for layout only).
    static func textWidth(_ string: String, size: Double) -> Double {
        Double(string.count) * 0.56 * size
    }
}
