/// A JSON syntax error at a 1-based line and column (columns count bytes).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, on one line.
    public var message: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, in bytes.
    public var column: Int

    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict JSON reader (RFC 8259) over UTF-8 bytes.
///
/// Used instead of `JSONSerialization` so that numbers are read exactly (`Double(String)` rounds
/// correctly), booleans never pass as numbers, object keys keep their order and duplicates can be
/// reported, and syntax errors carry a line and column.
public struct JSONReader {
    private let bytes: [UInt8]
    private var position = 0
    private static let maxDepth = 256

    /// Parses one JSON document (an optional UTF-8 byte order mark is skipped).
    ///
    /// - Parameter bytes: The document, UTF-8.
    /// - Returns: The value; every number is ``JSON/number(_:)``.
    /// - Throws: ``JSONSyntaxError`` with the line and column of the first problem (nesting deeper than
    ///   256 levels, NaN or Infinity, leading zeros, invalid escapes, unpaired surrogates, text after the value, …).
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSON {
        var parser = JSONReader(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.position = 3 }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let end = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0 ..< end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return JSONSyntaxError(message: message, line: line, column: end - lineStart + 1)
    }

    private var current: String {
        guard position < bytes.count else { return "end of file" }
        let c = bytes[position]
        return c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : Self.byteName(c)
    }

    private static func byteName(_ byte: UInt8) -> String { "byte 0x" + String(byte, radix: 16, uppercase: true) }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSON {
        if depth > Self.maxDepth { throw error("nested more than \(Self.maxDepth) levels deep") }
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of file, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            let hint = bytes[position...].starts(with: "NaN".utf8) || bytes[position...].starts(with: "Infinity".utf8)
                ? " (JSON has no NaN or Infinity)" : ""
            throw error("unexpected \(current), expected a value\(hint)")
        }
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        guard bytes[position...].starts(with: word.utf8) else { throw error("unexpected \(current), expected a value") }
        position += word.utf8.count
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSON {
        position += 1
        var entries: [(String, JSON)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(entries)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("unexpected \(current), expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("unexpected \(current), expected ':' after key \"\(key)\"")
            }
            position += 1
            entries.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of file, expected ',' or '}'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(entries)
            } else {
                throw error("unexpected \(current), expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSON {
        position += 1
        var items: [JSON] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of file, expected ',' or ']'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            } else {
                throw error("unexpected \(current), expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> Double {
        let start = position
        func digits() -> Int {
            let s = position
            while position < bytes.count, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(bytes[position]) {
                position += 1
            }
            return position - s
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let intStart = position
        let intDigits = digits()
        if intDigits == 0 { throw error("invalid number: expected a digit") }
        if intDigits > 1 && bytes[intStart] == UInt8(ascii: "0") {
            throw error("invalid number: leading zero", at: intStart)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            if digits() == 0 { throw error("invalid number: expected a digit after '.'") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            if digits() == 0 { throw error("invalid number: expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start ..< position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text) is too large for a 64-bit float", at: start)
        }
        return value
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let c = bytes[position]
            switch c {
            case UInt8(ascii: "\""):
                position += 1
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw error("string is not valid UTF-8", at: start)
                }
                return s
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { break }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800 ..< 0xDC00).contains(scalar) {
                        guard bytes[position...].starts(with: "\\u".utf8) else {
                            throw error("unpaired UTF-16 surrogate in \\u escape")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00 ..< 0xE000).contains(low) else {
                            throw error("unpaired UTF-16 surrogate in \\u escape")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string", at: position - 2)
                }
            default:
                if c < 0x20 { throw error("control character (\(Self.byteName(c))) in string") }
                out.append(c)
                position += 1
            }
        }
        throw error("unterminated string", at: start)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count,
              bytes[position ..< position + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
              let v = UInt32(String(decoding: bytes[position ..< position + 4], as: UTF8.self), radix: 16)
        else { throw error("invalid \\u escape: expected 4 hex digits") }
        position += 4
        return v
    }
}
