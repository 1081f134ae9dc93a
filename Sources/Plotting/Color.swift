/// An opaque sRGB colour, written to SVG as `#rrggbb`.
public struct Color: Sendable, Equatable, Hashable {
    /// Red, green and blue channels, 0…255.
    public var red: UInt8, green: UInt8, blue: UInt8

    /// Creates a colour from its channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Creates a colour from `#rrggbb` (the `#` is optional).
    ///
    /// - Throws: `PlotError.invalidColor` when the text is not six hexadecimal digits.
    public init(hex: String) throws(PlotError) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { throw .invalidColor(hex) }
        self.init(red: UInt8(value >> 16), green: UInt8((value >> 8) & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// Internal initialiser for literal palette entries.
    init(_ value: UInt32) {
        self.init(red: UInt8(value >> 16), green: UInt8((value >> 8) & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// The SVG colour value `#rrggbb`.
    public var svgValue: String {
        let hex = Array("0123456789abcdef")
        var s = "#"
        for c in [red, green, blue] {
            s.append(hex[Int(c >> 4)])
            s.append(hex[Int(c & 0xF)])
        }
        return s
    }

    /// Sixteen distinguishable colours for series: the ten Tableau colours, then six darker hues.
    ///
    /// Series `k` without an explicit colour gets `palette[k % 16]`.
    public static let palette: [Color] = [
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
        0xbcbd22, 0x17becf, 0x393b79, 0x637939, 0x8c6d31, 0x843c39, 0x7b4173, 0x000000,
    ].map { Color($0) }

    /// The palette colour for series number `index`.
    public static func palette(_ index: Int) -> Color {
        palette[((index % palette.count) + palette.count) % palette.count]
    }

    static let black = Color(0x000000)
    static let axis = Color(0x333333)
    static let grid = Color(0xe6e6e6)
    static let minorGrid = Color(0xf3f3f3)
    static let reference = Color(0xc0392b)
}
