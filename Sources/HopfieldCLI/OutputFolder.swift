import Foundation

/// Writes an output folder whole or not at all: files go to a temporary sibling folder that is renamed
/// into place only when every file was written (an existing folder of that name is replaced).
enum OutputFolder {
    static func write(to path: String, _ body: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.badInput("--out \(path): the folder \(parent.path) does not exist")
        }
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CLIError.badInput("--out \(path): a file of that name exists")
        }
        // Under mpirun only rank 0 writes (the others checked the same path above and stop here).
        guard ProcessRole.reports else { return }
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            try body(staging)
            if fm.fileExists(atPath: target.path) {
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
                try fm.moveItem(at: target, to: old)
                try fm.moveItem(at: staging, to: target)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
        } catch {
            try? fm.removeItem(at: staging)
            if let e = error as? CLIError { throw e }
            throw CLIError.failed("--out \(path): could not write the output folder: \(error.localizedDescription)")
        }
    }

    /// Writes UTF-8 text.
    static func text(_ s: String, _ url: URL) throws { try Data(s.utf8).write(to: url) }
}
