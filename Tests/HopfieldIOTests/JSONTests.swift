import HopfieldIO
import TestSupport
import Testing

@Suite("JSON reader and writer")
struct JSONTests {
    /// A document with every kind of value.
    let document = JSON.object([
        ("name", .string("tab\there \"quoted\" \u{1}")),
        ("count", .int(3)),
        ("values", .numbers([0.1, 1e-05, -2, .infinity])),
        ("nested", .array([.object([("ok", .bool(true)), ("none", .null)]), .array([])])),
        ("empty", .object([])),
    ])

    @Test("the writer's layout: scalar arrays on one line, containers indented, one-line mode with \", \"")
    func layout() {
        #expect(document.serialized() == """
            {
              "name": "tab\\there \\"quoted\\" \\u0001",
              "count": 3,
              "values": [0.1, 1e-05, -2.0, null],
              "nested": [
                {
                  "ok": true,
                  "none": null
                },
                []
              ],
              "empty": {}
            }
            """)
        #expect(document.serialized(indent: nil)
            == #"{"name": "tab\there \"quoted\" \u0001", "count": 3, "values": [0.1, 1e-05, -2.0, null], "nested": [{"ok": true, "none": null}, []], "empty": {}}"#)
    }

    @Test("what the writer writes, the reader reads back (numbers exactly, non-finite as null)")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 12)
        let numbers = (0 ..< 50).map { _ in rng.uniform(-1e6 ... 1e6) * rng.uniform(1e-9 ... 1) }
        for indent in [2, nil] as [Int?] {
            let text = JSON.object([("x", .numbers(numbers)), ("s", .string("é\n∑"))]).serialized(indent: indent)
            let read = try JSONReader.parse(Array(text.utf8))
            guard case .array(let items)? = read["x"], case .string(let s)? = read["s"] else {
                Issue.record("unexpected structure: \(text)")
                return
            }
            #expect(s == "é\n∑")
            #expect(items.map { if case .number(let x) = $0 { x } else { .nan } } == numbers)
        }
        let back = try JSONReader.parse(Array(document.serialized().utf8))
        guard case .array(let values)? = back["values"], case .null = values[3] else {
            Issue.record("infinity should be written as null")
            return
        }
        #expect(back["count"].map { if case .number(3) = $0 { true } else { false } } == true)
    }

    @Test("syntax errors carry line and column")
    func syntaxError() {
        do {
            _ = try JSONReader.parse(Array("{\n  \"a\": 01\n}".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2 && error.column == 8)
            #expect(error.description == "line 2, column 8: invalid number: leading zero")
        }
    }
}
