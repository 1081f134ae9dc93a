import Foundation
import HopfieldBench
import HopfieldIO
#if canImport(Glibc)
import Glibc
#endif

/// An error that ends the command with a one-line message on stderr and an exit status.
struct CLIError: Error, CustomStringConvertible {
    /// 2: bad input (files, flags, values); 1: the integration or analysis failed, or the run could not be
    /// done with the resources at hand (memory, disk, permissions).
    var exitCode: Int32
    var message: String
    var description: String { message }

    static func badInput(_ message: String) -> CLIError { CLIError(exitCode: 2, message: message) }
    static func failed(_ message: String) -> CLIError { CLIError(exitCode: 1, message: message) }
}

/// Text for messages: names made printable and short, the system's reason for an I/O failure.
enum Message {
    /// The longest name echoed whole; longer ones keep their head and tail.
    static let maxNameLength = 200

    /// A user-supplied name (path, layer name, flag value) as a message shows it: control characters
    /// escaped (`\n`, `\t`, `\u{0}`), and names longer than ``maxNameLength`` characters shortened to their
    /// first and last characters with the length in between.
    static func name(_ s: String) -> String {
        let escaped = escapeControls(s)
        guard escaped.count > maxNameLength else { return escaped }
        return "\(escaped.prefix(120))…[\(s.count) characters]…\(escaped.suffix(60))"
    }

    /// Escapes control characters (C0, DEL, C1) so a message stays one printable line.
    static func escapeControls(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F ... 0x9F).contains(scalar.value):
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A whole stderr line made safe: control characters escaped, every whitespace-separated word longer
    /// than ``maxNameLength`` shortened, and the line cut to 2 000 characters.
    static func line(_ s: String) -> String {
        let words = escapeControls(s).split(separator: " ", omittingEmptySubsequences: false)
        var out = words.map { $0.count > maxNameLength ? "\($0.prefix(120))…[\($0.count) characters]…\($0.suffix(60))" : String($0) }
            .joined(separator: " ")
        if out.count > 2_000 { out = "\(out.prefix(1_400)) … \(out.suffix(400))" }
        return out
    }

    /// The system's reason for an `errno` value (`strerror`), e.g. "No space left on device".
    static func systemReason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// One line for an error thrown while writing or reading files: the path and the system's reason, never
    /// a bridged error code such as "(NSCocoaErrorDomain error 512.)".
    static func ioFailure(_ error: Error) -> String {
        if let e = error as? CLIError { return e.message }
        if let e = error as? NPYError { return line(e.description) }
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain {
            let path = (ns.userInfo[NSFilePathErrorKey] as? String)
                ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
            var code: Int32? = ns.domain == NSPOSIXErrorDomain ? Int32(ns.code) : nil
            if code == nil, let any = ns.userInfo[NSUnderlyingErrorKey] {
                if let posix = any as? POSIXError {
                    code = posix.code.rawValue
                } else if let underlying = any as? Error, (underlying as NSError).domain == NSPOSIXErrorDomain {
                    code = Int32((underlying as NSError).code)
                }
            }
            let reason = code.map(systemReason) ?? cocoaReason(ns.code)
            return path.map { "\(name($0)): \(reason)" } ?? reason
        }
        return line(String(describing: error))
    }

    /// The reason for a Cocoa file error without an underlying POSIX error.
    private static func cocoaReason(_ code: Int) -> String {
        switch code {
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: systemReason(ENOENT)
        case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue: systemReason(EACCES)
        case CocoaError.fileWriteOutOfSpace.rawValue: systemReason(ENOSPC)
        case CocoaError.fileWriteVolumeReadOnly.rawValue: systemReason(EROFS)
        case CocoaError.fileWriteFileExists.rawValue: systemReason(EEXIST)
        default: "the system refused the operation"
        }
    }
}

/// Writes to stderr, ignoring failures (a closed or full stderr must not turn an error into a crash, as
/// `FileHandle.write` would).
func writeStandardError(_ s: String) {
    var bytes = Array(s.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { return }
        offset += n
    }
}

extension CLIError {
    /// A benchmark's error: bad input → exit status 2, a failed run → 1.
    init(_ error: BenchError) {
        self = error.kind == .badInput ? .badInput(error.message) : .failed(error.message)
    }
}
