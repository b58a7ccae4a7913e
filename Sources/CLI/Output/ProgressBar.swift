import Engine
import Foundation
import Synchronization

/// A one-line live progress bar on a terminal: percentage from bytes read, rows, rows/s and ETA.
/// Redraws at most ten times a second.
final class ProgressBar: Sendable {
    private let write: @Sendable (String) -> Void
    private let lastDraw = Mutex<Double>(0)

    init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    func update(_ p: RunProgress) {
        let now = Date().timeIntervalSince1970
        let due = lastDraw.withLock { last -> Bool in
            guard now - last >= 0.1 else { return false }
            last = now
            return true
        }
        guard due else { return }
        write("\r" + ProgressBar.line(p) + "\u{1B}[K")
    }

    func finish() { write("\r\u{1B}[K") }

    static func line(_ p: RunProgress) -> String {
        let width = 30
        var out = ""
        if let f = p.fraction {
            let filled = Int((f * Double(width)).rounded(.down))
            out += "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "] "
            out += String(format: "%3d%% ", Int(f * 100))
        }
        out += "\(p.counts.processed) rows"
        if p.counts.failed > 0 { out += " (\(p.counts.failed) failed)" }
        out += String(format: "  %.0f rows/s", p.rowsPerSecond)
        if let eta = p.estimatedSecondsLeft { out += "  ETA " + RunReport.formatDuration(eta) }
        return out
    }
}
