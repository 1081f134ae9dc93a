/// Deterministic decimal formatting, independent of locale and Foundation.
enum NumberFormatting {
    /// `x` with at most `decimals` digits after the point, trailing zeros removed (`1.50` → `"1.5"`).
    /// Non-finite values give `"0"`; magnitudes beyond 1e12 are clamped (SVG coordinates never get there).
    static func coordinate(_ x: Double, decimals: Int = 2) -> String {
        fixed(x, decimals: decimals, trimZeros: true)
    }

    /// `x` with exactly `decimals` digits after the point (`fixed(0.5, 2)` → `"0.50"`), or with trailing
    /// zeros removed when `trimZeros`.
    static func fixed(_ x: Double, decimals: Int, trimZeros: Bool = false) -> String {
        guard x.isFinite else { return "0" }
        let decimals = max(0, min(decimals, 15))
        let clamped = max(-1e12, min(1e12, x))
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(clamped) * scale).rounded()
        guard scaled < 9e15 else {
            // Too many digits for exact integer arithmetic: fall back to fewer decimals.
            return fixed(x, decimals: decimals - 1, trimZeros: trimZeros)
        }
        let integer = UInt64(scaled)
        let digits = String(integer)
        var whole: String, fraction: String
        if decimals == 0 {
            whole = digits
            fraction = ""
        } else {
            let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
            whole = String(padded.dropLast(decimals))
            fraction = String(padded.suffix(decimals))
        }
        if trimZeros {
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        let negative = clamped < 0 && integer != 0
        return (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// `x` in scientific notation with `decimals` mantissa digits, e.g. `"2.5e-7"`, `"1e6"`.
    static func scientific(_ x: Double, decimals: Int) -> String {
        guard x.isFinite, x != 0 else { return "0" }
        var exponent = Int(Math.log10(abs(x)).rounded(.down))
        var mantissa = x / Math.pow10(exponent)
        var text = fixed(mantissa, decimals: decimals, trimZeros: true)
        if text == "10" || text == "-10" {
            exponent += 1
            mantissa = x / Math.pow10(exponent)
            text = fixed(mantissa, decimals: decimals, trimZeros: true)
        }
        return text + "e" + String(exponent)
    }

    /// `10` followed by the exponent in Unicode superscript digits, e.g. `"10⁻³"`.
    static func powerOfTen(_ exponent: Int) -> String {
        let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var s = "10"
        if exponent < 0 { s.append("⁻") }
        for d in String(abs(exponent)) {
            if let v = d.wholeNumberValue { s.append(superscripts[v]) }
        }
        return s
    }
}
