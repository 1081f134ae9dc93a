import ArgumentParser
import Foundation
import Hopfield
import HopfieldIO
import Retrieval

/// Flags shared by `retrieve` and `capacity`: separation parameters, distance convention, normalisation.
struct RetrievalFlags: ParsableArguments {
    @Option(help: "Inverse temperature β of the softmax separation.") var beta: Double = 1
    @Option(help: "Exponent of the power separation (retrieve: `--separation power`; capacity: `power` in --separations, or `power:N` there).") var power: Double?
    @Option(help: "Radius of the threshold separation, on the distance (retrieve: `--separation threshold`; capacity: `threshold` in --separations, or `threshold:R` there).") var radius: Double?
    @Option(help: "How distances become scores: negative (s = −d, docs/retrieval.md) or inverse (s = 1/d, the authors' code).")
    var convention: String = "negative"
    @Option(help: "Normalise to sum 1: none, similarity (scores before separation), separation (weights after), or both.")
    var normalize: String = "none"

    /// The retrieval options; a bad name is an error naming its flag.
    func options() throws(CLIError) -> RetrievalOptions {
        let convention: DistanceConvention
        do { convention = try DistanceConvention(name: self.convention) } catch {
            throw .badInput("--convention \(self.convention): \(error.description)")
        }
        let normalization: RetrievalOptions.Normalization
        switch normalize.lowercased() {
        case "none": normalization = []
        case "similarity": normalization = .similarity
        case "separation": normalization = .separation
        case "both": normalization = .both
        default: throw .badInput("--normalize \(normalize): expected none, similarity, separation or both")
        }
        return RetrievalOptions(convention: convention, normalization: normalization)
    }

    /// Parses a separation name with the parameter flags.
    func separation(_ name: String, flag: String) throws(CLIError) -> Separation {
        do { return try Separation(name: name, beta: beta, power: power, radius: radius) } catch {
            throw .badInput("\(flag) \(name): \(error.description)")
        }
    }
}

/// Parses a similarity name, naming the flag in the error.
func parseSimilarity(_ name: String, flag: String) throws(CLIError) -> Similarity {
    do { return try Similarity(name: name) } catch { throw .badInput("\(flag) \(name): \(error.description)") }
}

/// Splits a comma-separated list, dropping empty entries; an empty list is an error naming the flag.
func commaList(_ text: String, flag: String) throws(CLIError) -> [String] {
    let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    if items.isEmpty { throw .badInput("\(flag): expected a comma-separated list, got \"\(text)\"") }
    return items
}

/// Reads a `.npy` file given by a flag; every problem is bad input naming the flag and the file.
func readArray(_ path: String, flag: String) throws(CLIError) -> NPYArray {
    let array: NPYArray
    do { array = try NPY.read(contentsOf: URL(fileURLWithPath: path)) } catch {
        throw .badInput("\(flag) \(path): \(error.message)")
    }
    return array
}
