/// A short decimal rendering of a parameter: `2` rather than `2.0`, otherwise Swift's shortest form.
func compact(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return String(x)
}
