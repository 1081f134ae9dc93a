import Dispatch
import Foundation

/// A progress line on stderr every few seconds while a long `simulate` or `analyze` runs, when stderr is a
/// terminal (nothing otherwise, so that scripts and tests see clean output): `simulate: still running (10 s)…`.
final class Heartbeat: @unchecked Sendable {
    private let timer: DispatchSourceTimer?
    private let start = Date()

    /// Starts the heartbeat of `command`, every `interval` seconds (the first after one interval).
    init(_ command: String, interval: Double = 5) {
        guard isatty(2) != 0, ProcessRole.reports else {
            timer = nil
            return
        }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        self.timer = timer
        let start = self.start
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler {
            let seconds = Int(Date().timeIntervalSince(start).rounded())
            FileHandle.standardError.write(Data("\(command): still running (\(seconds) s)…\n".utf8))
        }
        timer.resume()
    }

    /// Stops it.
    func stop() { timer?.cancel() }

    deinit { timer?.cancel() }
}
