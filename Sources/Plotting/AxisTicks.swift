/// The range and tick marks of one axis.
public struct AxisTicks: Sendable, Equatable {
    /// The lower end of the axis (data range widened to a tick).
    public var lower: Double
    /// The upper end of the axis.
    public var upper: Double
    /// Labelled tick positions, ascending.
    public var major: [Double]
    /// Unlabelled minor tick positions, ascending.
    public var minor: [Double]
    /// The label of each major tick.
    public var labels: [String]

    /// Ticks for data in `dataMin…dataMax` on the given scale.
    ///
    /// Linear axes step by `1, 2 or 5 × 10ᵏ`, chosen so that about `targetCount` ticks cover the data,
    /// and widen the range to whole steps (`0…1` gives `0, 0.2, …, 1`). Log axes widen the range to
    /// whole decades and put a major tick at every decade (every second, third, … decade when more than
    /// ten are shown) with minor ticks at `2…9 × 10ᵏ`; an axis spanning one decade also labels `2` and
    /// `5 × 10ᵏ`. A degenerate or empty range is widened around its value.
    /// - Parameters:
    ///   - scale: linear or log.
    ///   - dataMin: smallest value to show (must be > 0 for `.log`, else `1` is used).
    ///   - dataMax: largest value to show.
    ///   - targetCount: about how many major ticks a linear axis gets.
    public init(scale: AxisScale, dataMin: Double, dataMax: Double, targetCount: Int = 6) {
        switch scale {
        case .linear: self = AxisTicks.linear(dataMin, dataMax, targetCount: max(2, targetCount))
        case .log: self = AxisTicks.logarithmic(dataMin, dataMax)
        }
    }

    private init(lower: Double, upper: Double, major: [Double], minor: [Double], labels: [String]) {
        self.lower = lower
        self.upper = upper
        self.major = major
        self.minor = minor
        self.labels = labels
    }

    /// The 1-2-5 step closest above `span / targetCount`, as (mantissa, exponent).
    static func niceStep(span: Double, targetCount: Int) -> (mantissa: Int, exponent: Int) {
        let raw = span / Double(targetCount)
        var exponent = Int(Math.log10(raw).rounded(.down))
        let residual = raw / Math.pow10(exponent)
        let mantissa: Int
        if residual <= 1 + 1e-9 { mantissa = 1 }
        else if residual <= 2 + 1e-9 { mantissa = 2 }
        else if residual <= 5 + 1e-9 { mantissa = 5 }
        else { mantissa = 1; exponent += 1 }
        return (mantissa, exponent)
    }

    private static func linear(_ a: Double, _ b: Double, targetCount: Int) -> AxisTicks {
        var lo = a.isFinite ? min(a, b) : 0, hi = b.isFinite ? max(a, b) : 1
        if !a.isFinite && !b.isFinite { (lo, hi) = (0, 1) }
        if hi - lo <= abs(hi) * 1e-12 || hi - lo == 0 {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (lo - pad, hi + pad)
        }
        let (mantissa, exponent) = niceStep(span: hi - lo, targetCount: targetCount)
        let step = Double(mantissa) * Math.pow10(exponent)
        let kLo = Int((lo / step + 1e-9).rounded(.down))
        let kHi = Int((hi / step - 1e-9).rounded(.up))
        let major = (kLo...max(kLo + 1, kHi)).map { clean(Double($0) * step, step: step) }
        let subdivisions = mantissa == 2 ? 4 : 5
        let minorStep = step / Double(subdivisions)
        var minor: [Double] = []
        for k in kLo..<max(kLo + 1, kHi) {
            for s in 1..<subdivisions { minor.append(clean(Double(k) * step + Double(s) * minorStep, step: minorStep)) }
        }
        // Labels: plain decimals with as many digits as the step needs, scientific for extreme magnitudes.
        let decimals = max(0, -exponent)
        let largest = major.map { abs($0) }.max() ?? 0
        let scientific = largest >= 1e6 || (exponent <= -5)
        let labels = major.map { value -> String in
            if scientific {
                if value == 0 { return "0" }
                let e = Int(Math.log10(abs(value)).rounded(.down))
                return NumberFormatting.scientific(value, decimals: max(0, e - exponent))
            }
            return NumberFormatting.fixed(value, decimals: decimals)
        }.map(typographicMinus)
        return AxisTicks(lower: major.first ?? lo, upper: major.last ?? hi, major: major, minor: minor, labels: labels)
    }

    /// Replaces a leading hyphen-minus by the minus sign U+2212, as typeset numbers have it.
    private static func typographicMinus(_ label: String) -> String {
        label.hasPrefix("-") ? "\u{2212}" + label.dropFirst() : label
    }

    /// Removes floating-point noise: snaps to zero and rounds to the step's precision.
    private static func clean(_ value: Double, step: Double) -> Double {
        abs(value) < step * 1e-9 ? 0 : value
    }

    private static func logarithmic(_ a: Double, _ b: Double) -> AxisTicks {
        var lo = min(a, b), hi = max(a, b)
        if !(lo > 0) || !lo.isFinite { lo = hi > 0 && hi.isFinite ? hi / 10 : 1 }
        if !(hi > 0) || !hi.isFinite { hi = lo * 10 }
        var dLo = Int((Math.log10(lo) + 1e-9).rounded(.down))
        var dHi = Int((Math.log10(hi) - 1e-9).rounded(.up))
        if dHi <= dLo { dHi = dLo + 1 }
        let decades = dHi - dLo
        let stride = max(1, Int((Double(decades) / 10).rounded(.up)))
        if stride > 1 {
            dLo = floorDiv(dLo, stride) * stride
            dHi = -floorDiv(-dHi, stride) * stride
        }
        var major: [Double] = []
        var majorExponents: [Int] = []
        var minor: [Double] = []
        for k in Swift.stride(from: dLo, through: dHi, by: stride) {
            major.append(Math.pow10(k))
            majorExponents.append(k)
        }
        if stride == 1 {
            for k in dLo..<dHi {
                for m in 2...9 { minor.append(Double(m) * Math.pow10(k)) }
            }
        } else {
            for k in dLo..<dHi where (k - dLo) % stride != 0 { minor.append(Math.pow10(k)) }
        }
        let plain = dLo >= -4 && dHi <= 5
        var labels = majorExponents.map { k in
            plain ? NumberFormatting.fixed(Math.pow10(k), decimals: max(0, -k)) : NumberFormatting.powerOfTen(k)
        }
        if decades == 1 && plain {
            // One decade: also label 2 and 5 × 10ᵏ so the axis has enough numbers.
            let extra = [2.0, 5.0].map { $0 * Math.pow10(dLo) }
            minor.removeAll { m in extra.contains { abs($0 - m) <= 1e-12 * m } }
            let all = (zip(major, labels) + extra.map { ($0, NumberFormatting.fixed($0, decimals: max(0, -dLo))) })
                .sorted { $0.0 < $1.0 }
            major = all.map(\.0)
            labels = all.map(\.1)
        }
        return AxisTicks(lower: Math.pow10(dLo), upper: Math.pow10(dHi), major: major, minor: minor, labels: labels)
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
