import Foundation

/// The benchmark table: one row per measurement, then notes.
public struct BenchTable: Sendable {
    /// The measurements, in order.
    public var rows: [(task: String, workload: String, strategy: String, perQuery: Double, note: String)] = []
    /// Lines printed under the table.
    public var notes: [String] = []

    /// An empty table.
    public init() {}

    /// Appends one measurement.
    public mutating func add(_ task: String, _ workload: String, _ strategy: String, perQuery: Double, note: String) {
        rows.append((task, workload, strategy, perQuery, note))
    }

    /// A Markdown table, then the notes as a list.
    public func rendered() -> String {
        var lines = ["| task | workload | strategy | time per query | notes |", "|---|---|---|---|---|"]
        for r in rows {
            lines.append("| \(r.task) | \(r.workload) | \(r.strategy) | \(timeString(r.perQuery)) | \(r.note) |")
        }
        if !notes.isEmpty { lines.append("") }
        lines += notes.map { "- " + $0 }
        return lines.joined(separator: "\n")
    }

    private func timeString(_ s: Double) -> String {
        s >= 1 ? String(format: "%.3g s", s) : s >= 1e-3 ? String(format: "%.3g ms", s * 1e3) : String(format: "%.3g µs", s * 1e6)
    }
}
