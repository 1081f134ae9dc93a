import Foundation
import Testing

@Suite("hopfield drdam")
struct DrDAMCommandTests {
    static let small = ["drdam", "--dimension", "10", "--memories", "5", "--beta", "4", "--features", "200,800,3200", "--points", "12", "--seed", "3"]

    @Test("--json holds the issue's keys, one entry per Y, and the errors fall with Y at the memories")
    func json() throws {
        let run = try CLI.run(Self.small + ["--json", "--trials", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["features"] as? [Int] == [200, 800, 3200])
        for key in ["energy_error", "gradient_error"] {
            let errors = try #require(object[key] as? [String: [Double]])
            #expect(Set(errors.keys) == ["memories", "near", "random"])
            #expect(errors.values.allSatisfy { $0.count == 3 })
            #expect(errors["memories"]![2] < errors["memories"]![0])
        }
        let slope = try #require(object["slope"] as? [String: [String: Double]])
        // Three projections per Y (seed 3): energy slope −0.44, gradient slope −0.47 at the memories.
        #expect(slope["energy"]!["memories"]! < -0.3 && slope["gradient"]!["memories"]! < -0.3)
        let disagreement = try #require(object["disagreement"] as? [Double])
        #expect(disagreement.count == 3 && disagreement.allSatisfy { $0 >= 0 && $0 <= 1 })
        // With the most features the two retrievals agree on almost every bit.
        #expect(disagreement[2] < 0.1)
    }

    @Test("--out writes drdam.json, drdam.csv and drdam.svg")
    func out() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("result").path
        let run = try CLI.run(Self.small + ["--out", target])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: target).sorted()
        #expect(files == ["drdam.csv", "drdam.json", "drdam.svg"])
        let csv = try String(contentsOfFile: target + "/drdam.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "features,kind,energy_error,gradient_error,disagreement" && csv.count == 1 + 3 * 3)
    }

    @Test("bad input: exit 2, one line naming the flag, nothing written", arguments: [
        (["--kernel", "gauss"], "--kernel"), (["--beta", "0"], "--beta"), (["--features", "0,10"], "--features"),
        (["--features", "ten"], "--features"), (["--points", "0"], "--points"), (["--dimension", "0"], "--dimension"),
    ])
    func badInput(change: [String], flag: String) throws {
        var arguments = Self.small
        if let k = arguments.firstIndex(of: change[0]) { arguments[k + 1] = change[1] } else { arguments += change }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("result").path
        let run = try CLI.run(arguments + ["--out", target, "--json"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(flag), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
