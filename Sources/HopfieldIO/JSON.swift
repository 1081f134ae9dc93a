/// A JSON value: what ``JSONReader`` reads and what ``serialized(indent:)`` writes.
///
/// Object members keep their order (duplicates included, so a reader can report them). Numbers are
/// written in Swift's shortest round-tripping form (`0.1`, `1e-05`), so reading them back gives the
/// same `Double`; non-finite numbers are written as `null`. The reader returns every number as
/// ``number(_:)``; ``int(_:)`` exists for writing counts without a fractional part.
public indirect enum JSON: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number (every number the reader reads).
    case number(Double)
    /// An integer, written without a fractional part.
    case int(Int)
    /// A string.
    case string(String)
    /// An array.
    case array([JSON])
    /// An object: its members in order.
    case object([(String, JSON)])

    /// An array of numbers.
    ///
    /// - Parameter values: The numbers, in order.
    /// - Returns: `.array` of `.number`s.
    public static func numbers<S: Sequence<Double>>(_ values: S) -> JSON { .array(values.map { .number($0) }) }

    /// What this value is, for messages: "a string", "an array", "true", ….
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number, .int: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The member `key` of an object (its first occurrence); `nil` for a missing key or a non-object.
    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// Serialises the value.
    ///
    /// Arrays of scalars stay on one line; arrays of containers and objects get one member per line,
    /// indented by `indent` spaces per level. `indent` nil writes everything on one line, members
    /// separated by `", "`.
    ///
    /// - Parameter indent: Spaces per nesting level, or `nil` for one line.
    /// - Returns: The JSON text (no trailing newline).
    public func serialized(indent: Int? = 2) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let x): out += x.isFinite ? "\(x)" : "null"
        case .string(let s): JSON.escape(s, into: &out)
        case .array(let items):
            // Arrays of scalars stay on one line; arrays of containers are indented.
            let flat = items.allSatisfy { if case .array = $0 { false } else if case .object = $0 { false } else { true } }
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += flat || indent == nil ? ", " : "," }
                if !flat, let indent { out += "\n" + String(repeating: " ", count: indent * (level + 1)) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if !flat, let indent { out += "\n" + String(repeating: " ", count: indent * level) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: " ", count: indent * (level + 1)) }
                JSON.escape(key, into: &out)
                out += ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: " ", count: indent * level) }
            out += "}"
        }
    }

    /// `s` as a JSON string literal, quotes included (`"`, `\\`, `\n`, `\r`, `\t` escaped by name, other
    /// control characters as `\u00xx`).
    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
