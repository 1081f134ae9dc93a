/// The parsed header dictionary of a `.npy` file: `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// Parses the header text (the bytes between the length field and the data).
    ///
    /// - Throws: A message for ``NPYError/Reason/malformedHeader(_:)``.
    static func parse(_ bytes: [UInt8]) throws(NPYHeaderError) -> NPYHeader {
        var parser = PythonLiteralParser(bytes: bytes)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position != bytes.count {
            throw NPYHeaderError("unexpected text after the dictionary at byte \(parser.position)")
        }
        guard case .dict(let entries) = value else {
            throw NPYHeaderError("expected a dictionary, got \(value.kindName)")
        }
        var descr: String?
        var fortran: Bool?
        var shape: [Int]?
        for (key, item) in entries {
            switch key {
            case "descr":
                guard case .string(let s) = item else {
                    // A list here is a structured dtype.
                    if case .list = item { throw NPYHeaderError("structured dtype", unsupportedDType: true) }
                    throw NPYHeaderError("'descr' must be a string, got \(item.kindName)")
                }
                descr = s
            case "fortran_order":
                guard case .bool(let b) = item else {
                    throw NPYHeaderError("'fortran_order' must be True or False, got \(item.kindName)")
                }
                fortran = b
            case "shape":
                guard case .tuple(let dims) = item else {
                    throw NPYHeaderError("'shape' must be a tuple, got \(item.kindName)")
                }
                var s: [Int] = []
                for d in dims {
                    guard case .int(let n) = d, n >= 0 else {
                        throw NPYHeaderError("'shape' must hold non-negative integers")
                    }
                    s.append(n)
                }
                shape = s
            default:
                throw NPYHeaderError("unexpected key '\(key)'")
            }
        }
        guard let descr else { throw NPYHeaderError("missing key 'descr'") }
        guard let fortran else { throw NPYHeaderError("missing key 'fortran_order'") }
        guard let shape else { throw NPYHeaderError("missing key 'shape'") }
        return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    /// The header text for a C-order `<f8` array, without padding: `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`.
    static func text(shape: [Int]) -> String {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        return "{'descr': '<f8', 'fortran_order': False, 'shape': \(dims), }"
    }
}

/// Why a header could not be parsed.
struct NPYHeaderError: Error {
    var message: String
    /// The header is valid but describes a dtype we do not read.
    var unsupportedDType: Bool
    init(_ message: String, unsupportedDType: Bool = false) {
        self.message = message
        self.unsupportedDType = unsupportedDType
    }
}

/// A value of the small Python-literal language used in `.npy` headers.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(String, PythonLiteral)])

    var kindName: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .bool: "a boolean"
        case .none: "None"
        case .tuple: "a tuple"
        case .list: "a list"
        case .dict: "a dictionary"
        }
    }

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.none, .none): true
        case (.tuple(let x), .tuple(let y)), (.list(let x), .list(let y)): x == y
        case (.dict(let x), .dict(let y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: false
        }
    }
}

/// A recursive-descent parser for Python literals (strings, integers, booleans, None, tuples, lists, dicts).
struct PythonLiteralParser {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func parseValue(depth: Int) throws(NPYHeaderError) -> PythonLiteral {
        if depth > 32 { throw NPYHeaderError("nested too deeply") }
        skipWhitespace()
        guard position < bytes.count else { throw NPYHeaderError("unexpected end of header") }
        let c = bytes[position]
        switch c {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "("):
            position += 1
            return .tuple(try parseSequence(close: UInt8(ascii: ")"), depth: depth))
        case UInt8(ascii: "["):
            position += 1
            return .list(try parseSequence(close: UInt8(ascii: "]"), depth: depth))
        case UInt8(ascii: "{"):
            position += 1
            return try parseDict(depth: depth)
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            return .int(try parseInt())
        default:
            for (word, value) in [("True", PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)]
            where bytes[position...].starts(with: word.utf8) {
                position += word.utf8.count
                return value
            }
            throw NPYHeaderError("unexpected character '\(Character(Unicode.Scalar(c)))' at byte \(position)")
        }
    }

    mutating func parseString() throws(NPYHeaderError) -> String {
        let quote = bytes[position]
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let c = bytes[position]
            position += 1
            if c == quote { return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\\") {
                guard position < bytes.count else { break }
                out.append(bytes[position])
                position += 1
            } else {
                out.append(c)
            }
        }
        throw NPYHeaderError("unterminated string")
    }

    mutating func parseInt() throws(NPYHeaderError) -> Int {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        while position < bytes.count, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(bytes[position]) {
            position += 1
        }
        let text = String(decoding: bytes[start ..< position], as: UTF8.self)
        // Python 2 wrote long integers with an `L` suffix.
        if position < bytes.count, bytes[position] == UInt8(ascii: "L") { position += 1 }
        guard let n = Int(text) else { throw NPYHeaderError("invalid integer '\(text)'") }
        return n
    }

    mutating func parseSequence(close: UInt8, depth: Int) throws(NPYHeaderError) -> [PythonLiteral] {
        var items: [PythonLiteral] = []
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw NPYHeaderError("unexpected end of header") }
            if bytes[position] == close {
                position += 1
                return items
            }
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw NPYHeaderError("unexpected end of header") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] != close {
                throw NPYHeaderError("expected ',' or '\(Character(Unicode.Scalar(close)))' at byte \(position)")
            }
        }
    }

    mutating func parseDict(depth: Int) throws(NPYHeaderError) -> PythonLiteral {
        var entries: [(String, PythonLiteral)] = []
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw NPYHeaderError("unexpected end of header") }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .dict(entries)
            }
            guard case .string(let key) = try parseValue(depth: depth + 1) else {
                throw NPYHeaderError("dictionary keys must be strings")
            }
            if entries.contains(where: { $0.0 == key }) { throw NPYHeaderError("duplicate key '\(key)'") }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw NPYHeaderError("expected ':' after key '\(key)'")
            }
            position += 1
            entries.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard position < bytes.count else { throw NPYHeaderError("unexpected end of header") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] != UInt8(ascii: "}") {
                throw NPYHeaderError("expected ',' or '}' at byte \(position)")
            }
        }
    }
}
