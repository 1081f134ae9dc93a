import Foundation
import TestSupport
import Testing
import Hopfield
@testable import HopfieldIO

/// Builds a `.npy` byte stream by hand: magic, version, length field, header (padded or not), data.
func handMadeNPY(major: UInt8 = 1, minor: UInt8 = 0, header: String, data: [UInt8], pad: Bool = true) -> Data {
    let lengthBytes = major == 1 ? 2 : 4
    var h = Array(header.utf8)
    if pad {
        let total = (8 + lengthBytes + h.count + 1 + 63) / 64 * 64
        h += [UInt8](repeating: 0x20, count: total - 8 - lengthBytes - h.count - 1) + [0x0A]
    }
    var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, minor]
    for k in 0 ..< lengthBytes { out.append(UInt8((h.count >> (8 * k)) & 0xFF)) }
    return Data(out + h + data)
}

/// Little-endian float64 bytes.
func f8Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { v in (0 ..< 8).map { UInt8((v.bitPattern >> (8 * UInt64($0))) & 0xFF) } }
}

/// Little-endian float32 bytes.
func f4Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in (0 ..< 4).map { UInt8((v.bitPattern >> (8 * UInt32($0))) & 0xFF) } }
}

/// A fresh temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hopfield-fileio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Expects `body` to throw an ``NPYError`` and returns it.
func expectNPYError(_ body: () throws(NPYError) -> NPYArray, sourceLocation: SourceLocation = #_sourceLocation) -> NPYError? {
    do {
        let array = try body()
        Issue.record("expected an NPYError, got an array of shape \(array.shape)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        return error
    }
}

@Suite("NPY reading and writing")
struct NPYTests {
    // MARK: Round trip and writer layout

    @Test("write then read returns the same shape and bit-identical values", arguments: [
        [], [0], [1], [7], [3, 4], [2, 3, 4], [2, 1, 3, 2],
    ] as [[Int]])
    func roundTrip(shape: [Int]) throws {
        var rng = SplitMix64(seed: UInt64(shape.count * 31 + shape.reduce(1, *)))
        var values = (0 ..< shape.reduce(1, *)).map { _ in Double.random(in: -1e3 ... 1e3, using: &rng) }
        let specials = [-0.0, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, 0.1, -1e-300]
        for (k, s) in specials.enumerated() where k < values.count { values[k] = s }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("a.npy")
        try NPY.write(NPYArray(shape: shape, values: values), to: url)
        let back = try NPY.read(contentsOf: url)
        #expect(back.shape == shape)
        #expect(back.values.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test("the writer emits format 1.0 <f8 with a header padded to 64 bytes ending in a newline", arguments: [
        [], [5], [2, 3], [10, 20, 30],
    ] as [[Int]])
    func writerLayout(shape: [Int]) throws {
        let values = (0 ..< shape.reduce(1, *)).map { Double($0) * 0.5 - 3 }
        let bytes = [UInt8](NPY.encode(shape: shape, values: values))
        #expect(Array(bytes[0 ..< 8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let dataStart = 10 + headerLength
        #expect(dataStart % 64 == 0)
        #expect(bytes[dataStart - 1] == 0x0A)
        let header = String(decoding: bytes[10 ..< dataStart], as: UTF8.self)
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        #expect(header.trimmingCharacters(in: .whitespacesAndNewlines)
            == "{'descr': '<f8', 'fortran_order': False, 'shape': \(dims), }")
        #expect(Array(bytes[dataStart...]) == f8Bytes(values))
    }

    @Test("write rejects a value count that does not match the shape")
    func writeCountMismatch() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("bad.npy")
        do {
            try NPY.write(NPYArray(shape: [2, 3], values: [1, 2, 3]), to: url)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == .countMismatch(shape: [2, 3], count: 3))
            #expect(error.description == "bad.npy: shape [2, 3] needs 6 values, got 3")
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    // MARK: Hand-built streams

    @Test("format versions 1.0, 2.0 and 3.0 are read", arguments: [(1, 0), (2, 0), (3, 0)] as [(UInt8, UInt8)])
    func versions(major: UInt8, minor: UInt8) throws {
        let values: [Double] = [1, -2.5, 3.25, 1e-10, 7, 8]
        let data = handMadeNPY(major: major, minor: minor,
                               header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }",
                               data: f8Bytes(values))
        let array = try NPY.read(data: data, source: "v.npy")
        #expect(array == NPYArray(shape: [3, 2], values: values))
    }

    @Test("a Data slice that does not start at index 0 is read correctly")
    func dataSlice() throws {
        let file = NPY.encode(shape: [2, 2], values: [1, 2, 3, 4])
        let padded = Data([9, 9, 9, 9, 9]) + file
        let slice = padded[5...]
        #expect(slice.startIndex == 5)
        #expect(try NPY.read(data: slice, source: "s.npy") == NPYArray(shape: [2, 2], values: [1, 2, 3, 4]))
    }

    @Test("a version 3.0 header may hold UTF-8 text")
    func version3UTF8() throws {
        // An unusual but legal header: a UTF-8 string value is only possible in 3.0; keys are fixed, so we
        // put it in a (rejected) extra key to see that the parser gets past the bytes and reports the key.
        let data = handMadeNPY(major: 3, minor: 0,
                               header: "{'descr': '<f8', 'fortran_order': False, 'shape': (), 'é': 1}",
                               data: f8Bytes([1]))
        let error = expectNPYError { () throws(NPYError) in try NPY.read(data: data, source: "u.npy") }
        #expect(error?.reason == .malformedHeader("unexpected key 'é'"))
    }

    @Test("float32 data is widened exactly to Double")
    func float32() throws {
        let floats: [Float] = [0.1, -1.25, 3e38, .leastNonzeroMagnitude, 0, -7]
        let data = handMadeNPY(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                               data: f4Bytes(floats))
        let array = try NPY.read(data: data, source: "f.npy")
        #expect(array.shape == [2, 3])
        #expect(array.values == floats.map(Double.init))
        #expect(array.values[0] != 0.1)  // widened, not re-rounded to the decimal
    }

    @Test("0-d, 1-d, 2-d, 3-d and empty shapes", arguments: [
        ("()", [Int]()), ("(4,)", [4]), ("(2, 2)", [2, 2]), ("(1, 2, 3)", [1, 2, 3]), ("(0,)", [0]), ("(3, 0)", [3, 0]),
    ])
    func shapes(text: String, shape: [Int]) throws {
        let values = (0 ..< shape.reduce(1, *)).map { Double($0 * $0) - 2 }
        let data = handMadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(text), }",
                               data: f8Bytes(values))
        #expect(try NPY.read(data: data, source: "s.npy") == NPYArray(shape: shape, values: values))
    }

    @Test("header variations: key order, double quotes, no trailing comma, no padding, Python 2 longs", arguments: [
        "{'shape': (2,), 'fortran_order': False, 'descr': '<f8'}",
        "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,)}",
        "{'descr':'<f8','fortran_order':False,'shape':(2L,)}\n",
        "  {'descr': '<f8', 'fortran_order': False, 'shape': (2,), }   \n",
    ])
    func headerVariations(header: String) throws {
        let data = handMadeNPY(header: header, data: f8Bytes([4, 5]), pad: false)
        #expect(try NPY.read(data: data, source: "h.npy") == NPYArray(shape: [2], values: [4, 5]))
    }

    // MARK: Errors

    @Test("bad magic")
    func badMagic() {
        for bytes in [[UInt8](), Array("PK\u{3}\u{4}zipfile".utf8), [0x93] + Array("NUMPZ".utf8) + [1, 0, 0, 0]] {
            let error = expectNPYError { () throws(NPYError) in try NPY.read(data: Data(bytes), source: "m.npy") }
            #expect(error?.reason == .badMagic)
            #expect(error?.description == "m.npy: not a NumPy .npy file (bad magic string)")
        }
    }

    @Test("unsupported versions", arguments: [(1, 1), (4, 0), (0, 0)] as [(UInt8, UInt8)])
    func unsupportedVersion(major: UInt8, minor: UInt8) {
        let data = handMadeNPY(major: major, minor: minor,
                               header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", data: f8Bytes([1]))
        let error = expectNPYError { () throws(NPYError) in try NPY.read(data: data, source: "v.npy") }
        #expect(error?.reason == .unsupportedVersion(major: Int(major), minor: Int(minor)))
        #expect(error?.description.hasPrefix("v.npy: unsupported .npy format version \(major).\(minor)") == true)
    }

    @Test("truncated header")
    func truncatedHeader() {
        let full = [UInt8](handMadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", data: []))
        for cut in [7, 9, 30] {
            let error = expectNPYError { () throws(NPYError) in try NPY.read(data: Data(full[0 ..< cut]), source: "t.npy") }
            guard case .truncatedHeader(_, let got)? = error?.reason else {
                Issue.record("expected truncatedHeader, got \(String(describing: error))")
                continue
            }
            #expect(got == cut)
        }
    }

    @Test("malformed headers", arguments: [
        ("{'descr': '<f8', 'fortran_order': False}", "missing key 'shape'"),
        ("{'descr': '<f8', 'shape': (1,)}", "missing key 'fortran_order'"),
        ("{'fortran_order': False, 'shape': (1,)}", "missing key 'descr'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "unexpected key 'extra'"),
        ("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", "'fortran_order' must be True or False, got an integer"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", "'shape' must be a tuple, got a list"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", "'shape' must hold non-negative integers"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", "unexpected end of header"),
        ("['descr', '<f8']", "expected a dictionary, got a list"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} x", "unexpected text after the dictionary at byte 56"),
        ("{'descr': '<f8', 'fortran_order': Flase, 'shape': (1,)}", "unexpected character 'F' at byte 34"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999)}",
         "shape [99999999999, 99999999999] is too large"),
    ])
    func malformedHeader(header: String, why: String) {
        let data = handMadeNPY(header: header, data: f8Bytes([1]), pad: false)
        let error = expectNPYError { () throws(NPYError) in try NPY.read(data: data, source: "bad.npy") }
        #expect(error?.reason == .malformedHeader(why))
        #expect(error?.description == "bad.npy: malformed header: \(why)")
    }

    @Test("big-endian dtypes", arguments: [">f8", ">f4"])
    func bigEndian(dtype: String) {
        let data = handMadeNPY(header: "{'descr': '\(dtype)', 'fortran_order': False, 'shape': (1,), }", data: f8Bytes([1]))
        let error = expectNPYError { () throws(NPYError) in try NPY.read(data: data, source: "be.npy") }
        #expect(error?.reason == .bigEndian(dtype: dtype))
        #expect(error?.description
            == "be.npy: big-endian dtype '\(dtype)' is not supported (save as little-endian '<f8' or '<f4')")
    }

    @Test("Fortran order")
    func fortranOrder() {
        let data = handMadeNPY(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", data: f8Bytes([1, 2, 3, 4]))
        let error = expectNPYError { () throws(NPYError) in try NPY.read(data: data, source: "F.npy") }
        #expect(error?.reason == .fortranOrder)
        #expect(error?.description.hasPrefix("F.npy: Fortran-order arrays are not supported") == true)
    }

    @Test("other dtypes", arguments: ["<i8", "<i4", "|u1", "<f2", "<c16", "|f8", "=f8", "|b1", "structured dtype"])
    func otherDTypes(dtype: String) {
        let descr = dtype == "structured dtype" ? "[('a', '<f8')]" : "'\(dtype)'"
        let data = handMadeNPY(header: "{'descr': \(descr), 'fortran_order': False, 'shape': (1,), }", data: f8Bytes([1]))
        let error = expectNPYError { () throws(NPYError) in try NPY.read(data: data, source: "i.npy") }
        #expect(error?.reason == .unsupportedDType(dtype))
        #expect(error?.description == "i.npy: unsupported dtype '\(dtype)' (supported: '<f8' float64, '<f4' float32)")
    }

    @Test("truncated data reports expected and actual byte counts")
    func truncatedData() {
        let data = handMadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (80, 10), }",
                               data: [UInt8](repeating: 0, count: 100))
        let error = expectNPYError { () throws(NPYError) in try NPY.read(data: data, source: "memories.npy") }
        #expect(error?.reason == .truncatedData(expected: 6400, got: 100))
        #expect(error?.description == "memories.npy: truncated data (expected 6400 bytes, got 100)")
    }

    @Test("more data than the shape needs is a shape/size mismatch")
    func sizeMismatch() {
        let data = handMadeNPY(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                               data: f4Bytes([1, 2, 3, 4, 5, 6, 7]))
        let error = expectNPYError { () throws(NPYError) in try NPY.read(data: data, source: "x.npy") }
        #expect(error?.reason == .sizeMismatch(shape: [2, 3], expected: 24, got: 28))
        #expect(error?.description == "x.npy: shape [2, 3] needs 24 data bytes, but the file holds 28")
    }

    @Test("non-finite entries are reported with their index unless allowed")
    func nonFinite() throws {
        let oneD = handMadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }",
                               data: f8Bytes([0, 1, .infinity, .nan]))
        let e1 = expectNPYError { () throws(NPYError) in try NPY.read(data: oneD, source: "n.npy") }
        #expect(e1?.description == "n.npy: entry 2 is not finite (inf)")

        let twoD = handMadeNPY(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                               data: f4Bytes([0, 1, 2, 3, -.infinity, 5]))
        let e2 = expectNPYError { () throws(NPYError) in try NPY.read(data: twoD, source: "n.npy") }
        guard case .nonFinite(let index, let flat, let value)? = e2?.reason else {
            Issue.record("expected nonFinite")
            return
        }
        #expect(index == [1, 1] && flat == 4 && value == -.infinity)
        #expect(e2?.description == "n.npy: entry [1, 1] (flat index 4) is not finite (-inf)")

        let allowed = try NPY.read(data: oneD, source: "n.npy", requireFinite: false)
        #expect(allowed.values[2] == .infinity && allowed.values[3].isNaN)
    }

    @Test("an unreadable file names the file and the system's reason")
    func unreadable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = expectNPYError { () throws(NPYError) in try NPY.read(contentsOf: folder.file("missing.npy")) }
        #expect(missing?.description == "missing.npy: cannot read file (No such file or directory)")
        let directory = folder.file("dir.npy")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        let isDirectory = expectNPYError { () throws(NPYError) in try NPY.read(contentsOf: directory) }
        #expect(isDirectory?.description.hasPrefix("dir.npy: cannot read file (") == true)
    }

    @Test("multi-index helper matches C order")
    func multiIndex() {
        let shape = [2, 3, 4]
        var flat = 0
        for i in 0 ..< 2 { for j in 0 ..< 3 { for k in 0 ..< 4 {
            #expect(NPY.multiIndex(flat, shape: shape) == [i, j, k])
            flat += 1
        } } }
    }
}
