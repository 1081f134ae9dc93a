import Foundation
import TestSupport
import Testing
import Hopfield
@testable import HopfieldIO

/// Runs `python3 -c script args…`, returning its exit status and standard output.
func runPython(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// Whether `python3` with NumPy can be run (the interop tests skip otherwise).
let numpyAvailable: Bool = (try? runPython("import numpy").status) == 0

/// Parses a JSON array of numbers printed by Python (`json.dumps` writes floats with `repr`, exactly).
func pythonNumbers(_ text: String) throws -> [Double] {
    guard case .array(let items) = try JSONReader.parse(Array(text.utf8)) else { throw InteropFailure() }
    return try items.map { item in
        guard case .number(let x) = item else { throw InteropFailure() }
        return x
    }
}

struct InteropFailure: Error {}

@Suite("NPY interoperability with NumPy", .enabled(if: numpyAvailable, "python3 with numpy is not available"))
struct NPYInteropTests {
    /// Python that saves arrays of several kinds into the folder argv[1] and their exact values as JSON.
    static let writer = """
    import json, sys, numpy as np
    from numpy.lib import format as fmt
    d = sys.argv[1]
    rng = np.random.default_rng(7)
    a = rng.standard_normal((2, 3, 4))
    np.save(d + '/f8.npy', a)
    json.dump([float(v) for v in a.ravel()], open(d + '/f8.json', 'w'))
    b = rng.standard_normal((5, 3)).astype(np.float32)
    np.save(d + '/f4.npy', b)
    json.dump([float(v) for v in b.ravel()], open(d + '/f4.json', 'w'))
    np.save(d + '/scalar.npy', np.float64(2.5))
    np.save(d + '/empty.npy', np.zeros((0, 3)))
    for v in [(2, 0), (3, 0)]:
        with open(d + '/v%d.npy' % v[0], 'wb') as f:
            fmt.write_array(f, a, version=v)
    np.save(d + '/fortran.npy', np.asfortranarray(rng.standard_normal((3, 4))))
    np.save(d + '/big.npy', a.astype('>f8'))
    np.save(d + '/int.npy', np.arange(6))
    np.save(d + '/nan.npy', np.array([[1.0, 2.0], [np.nan, 4.0]]))
    """

    @Test("files written by numpy.save are read exactly; unsupported ones give the right error")
    func readNumPyFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(try runPython(Self.writer, [folder.url.path]).status == 0)

        let expected64 = try pythonNumbers(String(contentsOf: folder.file("f8.json"), encoding: .utf8))
        let f8 = try NPY.read(contentsOf: folder.file("f8.npy"))
        #expect(f8 == NPYArray(shape: [2, 3, 4], values: expected64))
        for version in ["v2.npy", "v3.npy"] {
            #expect(try NPY.read(contentsOf: folder.file(version)) == f8)
        }

        let expected32 = try pythonNumbers(String(contentsOf: folder.file("f4.json"), encoding: .utf8))
        #expect(try NPY.read(contentsOf: folder.file("f4.npy")) == NPYArray(shape: [5, 3], values: expected32))

        #expect(try NPY.read(contentsOf: folder.file("scalar.npy")) == NPYArray(shape: [], values: [2.5]))
        #expect(try NPY.read(contentsOf: folder.file("empty.npy")) == NPYArray(shape: [0, 3], values: []))

        let cases: [(String, NPYError.Reason)] = [
            ("fortran.npy", .fortranOrder),
            ("big.npy", .bigEndian(dtype: ">f8")),
            ("int.npy", .unsupportedDType("<i8")),
        ]
        for (name, reason) in cases {
            let error = expectNPYError { () throws(NPYError) in try NPY.read(contentsOf: folder.file(name)) }
            #expect(error?.reason == reason)
            #expect(error?.source == name)
        }
        let nan = expectNPYError { () throws(NPYError) in try NPY.read(contentsOf: folder.file("nan.npy")) }
        #expect(nan?.description == "nan.npy: entry [1, 0] (flat index 2) is not finite (nan)")
    }

    @Test("numpy.load reads what NPY.write writes, bit for bit", arguments: [[3, 4, 2], [6], [], [0, 2]] as [[Int]])
    func numpyReadsOurFiles(shape: [Int]) throws {
        var rng = SplitMix64(seed: 99 + UInt64(shape.count))
        let values = (0 ..< shape.reduce(1, *)).map { _ in Double.random(in: -10 ... 10, using: &rng) }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("ours.npy")
        try NPY.write(NPYArray(shape: shape, values: values), to: url)
        let script = """
        import json, sys, numpy as np
        a = np.load(sys.argv[1])
        assert a.dtype == np.float64 and a.flags['C_CONTIGUOUS']
        print(json.dumps(list(a.shape)))
        print(json.dumps([float(v) for v in a.ravel()]))
        """
        let (status, output) = try runPython(script, [url.path])
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        #expect(try pythonNumbers(lines[0]).map { Int($0) } == shape)
        #expect(try pythonNumbers(lines[1]).map(\.bitPattern) == values.map(\.bitPattern))
    }
}
