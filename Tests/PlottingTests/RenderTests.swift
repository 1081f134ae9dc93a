import Foundation
import TestSupport
import Testing
@testable import Plotting

/// Renders every sample with `rsvg-convert` (Debian librsvg2-bin) when it is installed, and keeps the
/// PNGs in /tmp/plots for a human to look at.
@Suite struct RenderTests {
    static let converter = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert", "/opt/homebrew/bin/rsvg-convert"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: RenderTests.converter != nil, "rsvg-convert is not installed"),
          arguments: ["energy", "energy-decay", "trajectories", "convergence", "spectrum", "images", "figure", "dashboard"])
    func rendersToNonTrivialPNG(name: String) throws {
        let svg: String
        switch name {
        case "energy": svg = Samples.energy().svg()
        case "energy-decay": svg = Samples.energyDecay().svg()
        case "trajectories": svg = Samples.trajectories().svg()
        case "spectrum": svg = Samples.spectrum().svg()
        case "images": svg = Samples.images().svg()
        case "convergence": svg = Samples.convergence().svg()
        case "dashboard": svg = Samples.dashboard().svg()
        default: svg = Samples.figure().svg()
        }
        let folder = URL(fileURLWithPath: "/tmp/plots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let svgURL = folder.appendingPathComponent("\(name).svg")
        let pngURL = folder.appendingPathComponent("\(name).png")
        try svg.write(to: svgURL, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: pngURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(RenderTests.converter))
        process.arguments = ["-o", pngURL.path, svgURL.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "rsvg-convert: \(message)")
        #expect(message.isEmpty, "rsvg-convert warned: \(message)")
        let png = try Data(contentsOf: pngURL)
        #expect(png.count > 5_000)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }
}
